"""The result classes show exactly the fields of the core's records (computed properties included), and
their stubs declare the same: the core owns the result model, the binding only names it for Python."""

from __future__ import annotations

import ast
import types
from pathlib import Path

import aliprefetch
from aliprefetch import _aliprefetch
from conftest import DOMAIN, client_on, load

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


def stub_members(cls_name: str) -> tuple[set[str], set[str]]:
    """The properties and the methods a class's stub declares (in _records.pyi, generated from the core, or
    in _aliprefetch.pyi). stubtest does not follow _aliprefetch.pyi's import of _records, so this test holds
    the two to the runtime classes."""
    for stub_name in ("_records.pyi", "_aliprefetch.pyi"):
        stub = Path(_aliprefetch.__file__).with_name(stub_name)
        tree = ast.parse(stub.read_text())
        for node in tree.body:
            if isinstance(node, ast.ClassDef) and node.name == cls_name:
                props, methods = set(), set()
                for item in node.body:
                    if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                        props.add(item.target.id)
                    if isinstance(item, ast.FunctionDef):
                        is_property = any(isinstance(d, ast.Name) and d.id == "property" for d in item.decorator_list)
                        (props if is_property else methods).add(item.name)
                return {n for n in props if not n.startswith("_")}, {n for n in methods if not n.startswith("_")}
    raise AssertionError(f"{cls_name} is in no stub")


def methods(cls: type) -> set[str]:
    """The public methods of a class."""
    return {name for name, value in vars(cls).items() if callable(value) and not name.startswith("_")}


def test_every_result_class_shows_the_core_record_fields() -> None:
    records = {name: r["snake_case"] for name, r in load("tests/record_keys.json").items()}
    assert len(records) == 13
    for core_name, keys in records.items():
        name = PYTHON_NAME.get(core_name, core_name)
        cls = getattr(_aliprefetch, name)
        assert attributes(cls) == set(keys), f"{name}: class {sorted(attributes(cls))} vs core {sorted(keys)}"
        stub, stub_methods = stub_members(name)
        assert stub == set(keys), f"{name}: stub {sorted(stub)} vs core {sorted(keys)}"
        assert stub_methods == methods(cls), f"{name}: stub methods {sorted(stub_methods)} vs {sorted(methods(cls))}"


def test_what_the_emulator_holds_has_the_keys_its_typed_dicts_declare(emulator: aliprefetch.Emulator) -> None:
    # The TypedDicts in _records.pyi are generated from the emulator's declarations (HELD_RECORDS).
    client = client_on(emulator)
    client.set_live_stream_preload_tasks(domain_name=DOMAIN, play_urls=[f"rtmp://{DOMAIN}/live/held"])
    client.refresh_media_play_urls(media_ids=["m1"], task_type="Refresh")
    held = {
        "HeldPreloadTask": emulator.tasks(),
        "HeldRefreshJob": emulator.refresh_jobs(),
        "RequestCount": emulator.request_counts(),
    }
    for name, values in held.items():
        declared, _ = stub_members(name)
        assert values, name
        for value in values:
            assert set(value) == declared, f"{name}: {sorted(value)} vs stub {sorted(declared)}"
