"""Starts the emulator binary for the official-SDK compatibility tests."""

import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
FIXTURES = pathlib.Path(__file__).with_name("fixtures.json")


def emulator_binary() -> str:
    path = os.environ.get("ALIPREFETCH_EMULATOR") or str(ROOT / "target" / "debug" / "aliprefetch-emulator")
    if not pathlib.Path(path).exists():
        raise RuntimeError(f"{path} does not exist: build it with `cargo build -p aliprefetch-emulator`")
    return path


class RunningEmulator:
    def __init__(self, *extra: str) -> None:
        self.proc = subprocess.Popen(
            [emulator_binary(), "--listen", "127.0.0.1:0", "--fixtures", str(FIXTURES), "--log", "warn", *extra],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        line = self.proc.stdout.readline().strip()
        if not line.startswith("listening on http://"):
            self.proc.kill()
            raise RuntimeError(f"the emulator did not start: {line!r} {self.proc.stderr.read()}")
        self.host = line.removeprefix("listening on http://")

    def stop(self) -> None:
        self.proc.terminate()
        assert self.proc.wait(timeout=10) == 0, "the emulator stops cleanly on SIGTERM"


@pytest.fixture(scope="session")
def emulator():
    emu = RunningEmulator()
    yield emu
    emu.stop()


@pytest.fixture(scope="session")
def stale_emulator():
    """An emulator whose clock is an hour behind: every request's timestamp is too far from it."""
    import datetime

    past = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(hours=1)
    emu = RunningEmulator("--now", past.strftime("%Y-%m-%dT%H:%M:%SZ"))
    yield emu
    emu.stop()
