"""The README's Python quickstart runs as written, prints what the README shows, and passes mypy --strict."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT


def section() -> str:
    text = (ROOT / "README.md").read_text()
    start = text.index("## Python quickstart")
    end = text.index("\n## ", start + 1)
    return text[start:end]


def blocks() -> list[tuple[str, str | None]]:
    """Each python block with the text block that follows it, if any."""
    found = re.findall(r"```(python|text)\n(.*?)```", section(), re.S)
    out: list[tuple[str, str | None]] = []
    for lang, body in found:
        if lang == "python":
            out.append((body, None))
        elif out and out[-1][1] is None:
            out[-1] = (out[-1][0], body)
    return out


def test_the_quickstart_has_its_examples() -> None:
    assert len(blocks()) == 3
    assert "pip install aliprefetch" in section()


@pytest.mark.parametrize("index", [0, 1])
def test_examples_print_what_the_readme_shows(index: int, tmp_path: Path) -> None:
    code, shown = blocks()[index]
    assert shown is not None
    script = tmp_path / "example.py"
    script.write_text(code)
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout == shown


def test_the_pytest_fixture_example_passes(tmp_path: Path) -> None:
    code, _ = blocks()[2]
    (tmp_path / "test_example.py").write_text(code)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed" in done.stdout


def test_examples_pass_mypy_strict(tmp_path: Path) -> None:
    for i, (code, _) in enumerate(blocks()):
        (tmp_path / f"example_{i}.py").write_text(code)
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stdout + done.stderr
