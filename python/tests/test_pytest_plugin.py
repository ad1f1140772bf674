"""The pytest plugin as a user's suite meets it: a test file of their own, run by pytest in a subprocess, using
aliprefetch_emulator, aliprefetch_client and aliprefetch_sdk with an official SDK."""

from __future__ import annotations

import pathlib

import pytest

pytest_plugins = ["pytester"]

SAMPLE = pathlib.Path(__file__).resolve().parents[2] / "tests" / "samples" / "python" / "test_with_the_official_sdk.py"


def test_a_user_suite_gets_an_emulator_per_test_and_official_sdk_settings(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_sample=SAMPLE.read_text())
    # The plugin by its module (the installed package also registers it as `aliprefetch`, turned off here).
    result = pytester.runpytest_subprocess("-p", "no:aliprefetch", "-p", "aliprefetch.pytest_plugin", "-q")
    result.assert_outcomes(passed=5)


def test_a_failing_user_test_fails(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_fails="def test_sees_a_task(aliprefetch_emulator):\n    assert aliprefetch_emulator.tasks(), 'no task'\n"
    )
    result = pytester.runpytest_subprocess("-p", "no:aliprefetch", "-p", "aliprefetch.pytest_plugin", "-q")
    result.assert_outcomes(failed=1)
