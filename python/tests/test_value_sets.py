"""The ``Literal`` types in ``aliprefetch.types`` are the core's value sets (``tests/value_sets.json``, checked
against the core by a Rust test)."""

from __future__ import annotations

import json
import typing
from pathlib import Path

import aliprefetch.types

ROOT = Path(__file__).resolve().parents[2]


def test_every_value_set_of_the_core_is_a_literal_with_the_same_members_in_order() -> None:
    sets = json.loads((ROOT / "tests" / "value_sets.json").read_text())
    for name, members in sets.items():
        declared = getattr(aliprefetch.types, name, None)
        assert declared is not None, f"aliprefetch.types declares {name}"
        assert list(typing.get_args(declared)) == members, name
