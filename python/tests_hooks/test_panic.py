"""What a panic in the core becomes, through a function that panics on purpose. It exists only in a build with the
`test-hooks` feature (scripts/test makes one; no published wheel has it)."""

from __future__ import annotations

import pytest

import aliprefetch
from aliprefetch import _aliprefetch


def test_the_module_under_test_carries_the_hook() -> None:
    assert hasattr(_aliprefetch, "_panic_for_tests"), "build the extension with --features test-hooks"


def test_a_panic_in_the_core_is_an_aliprefetch_error_not_a_panic_exception() -> None:
    try:
        _aliprefetch._panic_for_tests("boom")
    except Exception as e:  # PanicException derives from BaseException and would escape this
        assert isinstance(e, aliprefetch.AliPrefetchError)
        assert e.kind == "Internal"
        assert "boom" in str(e)
    else:
        pytest.fail("no error")
