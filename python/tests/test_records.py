"""The result classes show exactly the fields of the core's records (computed properties included), and
their stubs declare the same: the core owns the result model, the binding only names it for Python."""

from __future__ import annotations

import ast
import types
from pathlib import Path

from aliprefetch import _aliprefetch
from conftest import load

PYTHON_NAME = {
    "SetLiveStreamPreloadTasksResponse": "SetLiveStreamPreloadTasksResult",
    "DescribeLiveStreamPreloadTasksResponse": "DescribeLiveStreamPreloadTasksResult",
    "HotLiveRtcStreamResponse": "HotLiveRtcStreamResult",
    "UpdateLivePullToPushResponse": "UpdateLivePullToPushResult",
    "RefreshMediaPlayUrlsResponse": "RefreshMediaPlayUrlsResult",
}


def attributes(cls: type) -> set[str]:
    """The data a class shows: its fields and read-only properties (not methods)."""
    return {
        name
        for name, value in vars(cls).items()
        if isinstance(value, types.GetSetDescriptorType) and not name.startswith("_")
    }


def stub_attributes(cls_name: str) -> set[str]:
    stub = Path(_aliprefetch.__file__).with_name("_aliprefetch.pyi")
    tree = ast.parse(stub.read_text())
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == cls_name:
            names = set()
            for item in node.body:
                if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                    names.add(item.target.id)
                if isinstance(item, ast.FunctionDef) and any(
                    isinstance(d, ast.Name) and d.id == "property" for d in item.decorator_list
                ):
                    names.add(item.name)
            return {n for n in names if not n.startswith("_")}
    raise AssertionError(f"{cls_name} is not in {stub}")


def test_every_result_class_shows_the_core_record_fields() -> None:
    records = {name: r["snake_case"] for name, r in load("tests/record_keys.json").items()}
    assert len(records) == 13
    for core_name, keys in records.items():
        name = PYTHON_NAME.get(core_name, core_name)
        cls = getattr(_aliprefetch, name)
        assert attributes(cls) == set(keys), f"{name}: class {sorted(attributes(cls))} vs core {sorted(keys)}"
        stub = stub_attributes(name)
        assert stub == set(keys), f"{name}: stub {sorted(stub)} vs core {sorted(keys)}"
