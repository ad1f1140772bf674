#!/usr/bin/env python3
"""Four processes — Rust, Python, Node and the CLI — on one account, each prefetching 2,000 URLs through
one real Redis server (Debian's redis-server on a free loopback port) against one emulator process.

The judge is the emulator's JSON request log (every request's arrival time and outcome) and its admin API
(the tasks it holds), never the clients' own reports:

0. the control: without the backend the same four processes are throttled (the judge can see it);
1. documented quotas (50/s for SetLiveStreamPreloadTasks): no Throttling.User, at most 50 requests in
   every one-second window, every URL held exactly once, and the wall time from the first request to
   the last within 10 % of the ideal for the combined work (80 requests at 50/s);
2. Redis stopped mid-run (quota 10/s so the run lasts): the processes finish on their fallback share,
   with no Throttling.User, no window over the quota and every URL held once; Redis started again, the
   processes write their local starts back and pace through it (the keys reappear).

Prints the figures as JSON (for BENCHMARKS.md) and exits non-zero on any failed check.

    python3 tests/shared_pacing/check.py --python target/py-venv/bin/python
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = "play.example.com"
SET = "SetLiveStreamPreloadTasks"
PER_PROCESS = 2000
DEADLINE = 300.0  # seconds any one wait may take before the check gives up


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def until(what: str, cond: object) -> None:
    deadline = time.monotonic() + DEADLINE
    while not cond():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise SystemExit(f"gave up waiting until {what}")
        time.sleep(0.01)


class Redis:
    def __init__(self, binary: str, workdir: Path) -> None:
        self.binary, self.port, self.dir = binary, free_port(), workdir
        self.proc: subprocess.Popen[bytes] | None = None
        self.start()

    def start(self) -> None:
        args = [self.binary, "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no"]
        self.proc = subprocess.Popen(
            [*args, "--dir", str(self.dir)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        until("redis answers", lambda: self.command("PING").startswith("+PONG"))

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.proc = None

    def command(self, *args: str) -> str:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=2) as s:
                s.sendall(f"*{len(args)}\r\n".encode() + b"".join(f"${len(a)}\r\n{a}\r\n".encode() for a in args))
                return s.recv(65536).decode(errors="replace")
        except OSError:
            return ""

    def url(self, prefix: str, timeout_ms: int) -> str:
        return f"redis://127.0.0.1:{self.port}/0?key_prefix={prefix}&fallback_share=0.25&timeout_ms={timeout_ms}"


class Emulator:
    """The emulator binary with a JSON log on stderr, read into `requests` as it arrives."""

    def __init__(self, binary: Path, fixtures: dict[str, object], workdir: Path) -> None:
        path = workdir / f"fixtures-{time.monotonic_ns()}.json"
        path.write_text(json.dumps(fixtures))
        self.proc = subprocess.Popen(
            [str(binary), "--listen", "127.0.0.1:0", "--log", "info", "--log-format", "json", "--fixtures", str(path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None and self.proc.stderr is not None
        self.host = self.proc.stdout.readline().strip().replace("listening on http://", "")
        self.requests: list[dict[str, object]] = []
        self.lock = threading.Lock()
        threading.Thread(target=self._read, args=(self.proc.stderr,), daemon=True).start()

    def _read(self, stream: object) -> None:
        for line in stream:  # type: ignore[attr-defined]
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            fields = entry.get("fields", {})
            if fields.get("message") == "request":
                at = datetime.fromisoformat(entry["timestamp"].replace("Z", "+00:00")).timestamp()
                with self.lock:
                    self.requests.append({"at": at, **fields})

    def seen(self, action: str, outcome: str | None = None) -> list[dict[str, object]]:
        with self.lock:
            return [r for r in self.requests if r["action"] == action and (outcome is None or r["outcome"] == outcome)]

    def tasks(self) -> list[dict[str, object]]:
        with urllib.request.urlopen(f"http://{self.host}/_emulator/tasks", timeout=30) as r:
            return list(json.load(r)["tasks"])

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)


PY = """
import os, sys, time, aliprefetch
endpoint, domain, tag, count, limit, go = sys.argv[1:]
limits = {"SetLiveStreamPreloadTasks": int(limit)}
client = aliprefetch.Client(endpoint=endpoint, rate_limits=limits)
urls = [f"rtmp://{domain}/{tag}/s{i}" for i in range(int(count))]
print("ready", flush=True)
while not os.path.exists(go):
    time.sleep(0.005)
report = client.preload_live_streams(domain, urls)
print({"process": "python", "failed": len(report.failed())}, flush=True)
sys.exit(0 if report.all_succeeded else 1)
"""

NODE = """
const fs = require('node:fs');
const { Client } = require(process.env.ALIPREFETCH_NODE_PACKAGE);
const [endpoint, domain, tag, count, limit, go] = process.argv.slice(1);
const client = new Client({ endpoint, rateLimits: { SetLiveStreamPreloadTasks: Number(limit) } });
const urls = Array.from({ length: Number(count) }, (_, i) => `rtmp://${domain}/${tag}/s${i}`);
console.log('ready');
(async () => {
  while (!fs.existsSync(go)) await new Promise((r) => setTimeout(r, 5));
  const report = await client.preloadLiveStreams(domain, urls);
  console.log(JSON.stringify({ process: 'node', failed: report.items.filter((i) => !i.taskId).length }));
  process.exit(report.allSucceeded ? 0 : 1);
})();
"""

CLI = """
printf 'ready\\n'
while [ ! -e "$6" ]; do sleep 0.005; done
i=0; while [ $i -lt "$4" ]; do printf 'rtmp://%s/%s/s%d\\n' "$2" "$3" $i; i=$((i+1)); done > "$6.cli-urls"
exec "$CLI_BINARY" live preload --endpoint "$1" --domain "$2" --rate-limit "SetLiveStreamPreloadTasks=$5" \\
    -o json - < "$6.cli-urls" > /dev/null
"""


def run_four(
    emu: Emulator, tag: str, set_limit: int, env: dict[str, str], args: argparse.Namespace, work: Path
) -> list[subprocess.Popen[str]]:
    """Starts the four processes, waits until each is ready, then lets them go at once."""
    go = work / f"go-{tag}"
    common = [emu.host, DOMAIN]
    commands = {
        "rust": [str(args.rust), *common, f"{tag}-rust", str(PER_PROCESS), str(set_limit), str(go)],
        "python": [args.python, "-c", PY, *common, f"{tag}-python", str(PER_PROCESS), str(set_limit), str(go)],
        "node": [args.node, "-e", NODE, *common, f"{tag}-node", str(PER_PROCESS), str(set_limit), str(go)],
        "cli": ["sh", "-c", CLI, "cli", *common, f"{tag}-cli", str(PER_PROCESS), str(set_limit), str(go)],
    }
    procs = []
    for command in commands.values():
        p = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env, stdin=subprocess.DEVNULL)
        assert p.stdout is not None
        ready = p.stdout.readline().strip()
        if ready != "ready":
            raise SystemExit(f"{command[0]} did not start: {ready!r} (exit {p.wait()})")
        procs.append(p)
    go.touch()
    return procs


def finish(procs: list[subprocess.Popen[str]]) -> None:
    for p in procs:
        out, _ = p.communicate(timeout=DEADLINE)
        if p.returncode != 0:
            raise SystemExit(f"{p.args[0]} failed (exit {p.returncode}): {out}")


def windows_within(times: list[float], quota: int) -> int:
    """The most requests in any one-second window (each window starting at a request)."""
    times = sorted(times)
    most, j = 0, 0
    for i, start in enumerate(times):
        j = max(j, i)
        while j < len(times) and times[j] < start + 1.0:
            j += 1
        most = max(most, j - i)
    assert most <= quota, f"{most} requests within one second, over the quota of {quota}"
    return most


def held_once(emu: Emulator, tag: str) -> None:
    urls = [str(t["play_url"]) for t in emu.tasks() if f"/{tag}-" in str(t["play_url"])]
    assert len(urls) == 4 * PER_PROCESS, f"{len(urls)} of {4 * PER_PROCESS} URLs held"
    assert len(set(urls)) == len(urls), "a URL is held twice"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--python", default=sys.executable, help="a Python with aliprefetch installed")
    parser.add_argument("--node", default="node")
    parser.add_argument("--node-package", default=str(ROOT / "node"))
    parser.add_argument("--cli", default=str(ROOT / "target" / "debug" / "aliprefetch"))
    parser.add_argument("--rust", default=str(ROOT / "target" / "debug" / "examples" / "shared_batch"))
    parser.add_argument("--emulator", default=str(ROOT / "target" / "debug" / "aliprefetch-emulator"))
    parser.add_argument("--redis-server", default=os.environ.get("ALIPREFETCH_REDIS_SERVER", "redis-server"))
    args = parser.parse_args()
    if shutil.which(args.redis_server) is None:
        raise SystemExit(f"no {args.redis_server}: apt-get install redis-server")

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        redis = Redis(args.redis_server, work)
        env = {
            **os.environ,
            "ALIBABA_CLOUD_ACCESS_KEY_ID": "testid",
            "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "testsecret",
            "ALIBABA_CLOUD_ECS_METADATA_DISABLED": "true",
            "ALIPREFETCH_NODE_PACKAGE": args.node_package,
            "CLI_BINARY": args.cli,
        }
        figures: dict[str, object] = {}
        domains = {
            "live": {"domains": [{"name": DOMAIN, "prefetch_enabled": True}], "preload": {"seconds_to_complete": 3600}}
        }
        try:
            # 0. The control: each process pacing alone at the whole quota, the service throttles. Four times
            # the quota can throttle one request three times running, so the control's processes take more
            # retries (an aliyun CLI profile's `retry_count`, which every client reads) and still finish.
            emu = Emulator(Path(args.emulator), domains, work)
            try:
                env.pop("ALIPREFETCH_RATE_LIMIT_URL", None)
                control_home = work / "control-home"
                (control_home / ".aliyun").mkdir(parents=True)
                profile = {"name": "control", "mode": "AK", "access_key_id": "testid"}
                profile |= {"access_key_secret": "testsecret", "retry_count": 9}
                config = {"current": "control", "profiles": [profile]}
                (control_home / ".aliyun" / "config.json").write_text(json.dumps(config))
                finish(run_four(emu, "alone", 50, {**env, "HOME": str(control_home)}, args, work))
                throttled = len(emu.seen(SET, "Throttling.User"))
                assert throttled > 0, "four processes pacing alone were never throttled: the judge sees nothing"
                figures["alone"] = {"throttled": throttled}
            finally:
                emu.stop()

            # 1. The documented quotas, one backend for all four (named by the environment).
            emu = Emulator(Path(args.emulator), domains, work)
            try:
                # A generous timeout: a slow answer on a loaded machine must not send a process to its fallback here.
                env["ALIPREFETCH_RATE_LIMIT_URL"] = redis.url("check-shared", 2000)
                finish(run_four(emu, "shared", 50, env, args, work))
                assert not emu.seen(SET, "Throttling.User"), "the service throttled a call"
                ok = [float(r["at"]) for r in emu.seen(SET, "ok")]  # type: ignore[arg-type]
                assert len(ok) == 80, f"{len(ok)} requests"
                held_once(emu, "shared")
                wall = max(ok) - min(ok)
                ideal = len(ok) / 50
                figures["documented"] = {
                    "requests": len(ok),
                    "most_in_one_second": windows_within(ok, 50),
                    "wall_s": round(wall, 3),
                    "ideal_s": ideal,
                    "wall_over_ideal": round(wall / ideal, 3),
                    "combined_rate_per_s": round((len(ok) - 1) / wall, 1) if wall > 0 else None,
                }
                assert wall <= 1.1 * ideal, f"wall {wall:.2f} s is over 110 % of the ideal {ideal:.2f} s"
            finally:
                emu.stop()

            # 2. Redis stopped after 20 requests, started again after 12 more on the fallback.
            emu = Emulator(Path(args.emulator), {**domains, "quotas": {SET: 10}}, work)
            try:
                env["ALIPREFETCH_RATE_LIMIT_URL"] = redis.url("check-outage", 200)
                procs = run_four(emu, "outage", 10, env, args, work)
                until("20 requests through Redis", lambda: len(emu.seen(SET, "ok")) >= 20)
                redis.stop()
                stopped_at = len(emu.seen(SET, "ok"))
                until("12 requests on the fallback", lambda: len(emu.seen(SET, "ok")) >= stopped_at + 12)
                redis.start()
                restarted_at = len(emu.seen(SET, "ok"))
                finish(procs)
                assert not emu.seen(SET, "Throttling.User"), "the service throttled a call"
                ok = [float(r["at"]) for r in emu.seen(SET, "ok")]  # type: ignore[arg-type]
                assert len(ok) == 80, f"{len(ok)} requests"
                held_once(emu, "outage")
                # Redis restarted empty: every script it ran since is a process pacing through it again.
                stats = redis.command("INFO", "commandstats")
                scripts = sum(
                    int(line.split("calls=")[1].split(",")[0])
                    for line in stats.splitlines()
                    if line.startswith(("cmdstat_eval:", "cmdstat_evalsha:"))
                )
                assert scripts > 0, f"no process paced through Redis again: {stats!r}"
                figures["outage"] = {
                    "requests": len(ok),
                    "stopped_after": stopped_at,
                    "restarted_after": restarted_at,
                    "scripts_run_after_restart": scripts,
                    "most_in_one_second": windows_within(ok, 10),
                    "wall_s": round(max(ok) - min(ok), 3),
                }
            finally:
                emu.stop()
        finally:
            redis.stop()
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
