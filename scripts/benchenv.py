"""What the benchmark scripts share: the compat virtualenv and a release emulator with its quotas lifted."""

import os
import pathlib
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[1]
VENV = ROOT / "target" / "compat-venv"
LIFTED = (
    '{"quotas": {"SetLiveStreamPreloadTasks": 0, "DescribeLiveStreamPreloadTasks": 0, "HotLiveRtcStream": 0,'
    ' "UpdateLivePullToPush": 0, "RefreshMediaPlayUrls": 0}}'
)


def reexec_in_venv(script: str) -> None:
    """Runs `script` again inside target/compat-venv (made by ./scripts/test, or here) unless already there."""
    if pathlib.Path(sys.prefix).resolve() == VENV.resolve():
        return
    python = VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", "-r", str(ROOT / "tests/compat/requirements.txt")], check=True
        )
    os.execv(str(python), [str(python), script, *sys.argv[1:]])


def cargo_release(*args: str) -> None:
    subprocess.run(["cargo", "build", "--quiet", "--release", *args], cwd=ROOT, check=True)


class ReleaseEmulator:
    """The release emulator binary on a free loopback port, quotas lifted, logging warnings only."""

    def __enter__(self) -> "ReleaseEmulator":
        cargo_release("-p", "aliprefetch-emulator", "--bin", "aliprefetch-emulator")
        self.fixtures = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)
        self.fixtures.write(LIFTED)
        self.fixtures.close()
        binary = ROOT / "target" / "release" / "aliprefetch-emulator"
        args = [str(binary), "--listen", "127.0.0.1:0", "--log", "warn", "--fixtures", self.fixtures.name]
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
        self.host = self.proc.stdout.readline().strip().removeprefix("listening on http://")
        return self

    def __exit__(self, *exc) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)
        os.unlink(self.fixtures.name)
