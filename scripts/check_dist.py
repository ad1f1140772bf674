#!/usr/bin/env python3
"""Checks target/dist after scripts/package: every artifact is there, carries LICENSE and one version (the
workspace's, which node/package.json and kotlin/pom.xml must repeat), and every native file in it needs no glibc
symbol newer than the floor.

    check_dist.py DIST VERSION GLIBC
"""

from __future__ import annotations

import json
import pathlib
import re
import subprocess
import sys
import tarfile
import tempfile
import zipfile

ROOT = pathlib.Path(__file__).resolve().parents[1]


def glibc_needed(data: bytes, what: str) -> tuple[int, ...]:
    with tempfile.NamedTemporaryFile() as f:
        f.write(data)
        f.flush()
        symbols = subprocess.run(["objdump", "-T", f.name], check=True, capture_output=True, text=True).stdout
    versions = {tuple(int(n) for n in v.split(".")) for v in re.findall(r"GLIBC_(\d+(?:\.\d+)+)", symbols)}
    if not versions:
        sys.exit(f"{what}: no GLIBC symbol versions found (not a dynamic glibc ELF?)")
    return max(versions)


def main() -> None:
    dist, version, floor_text = pathlib.Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    floor = tuple(int(n) for n in floor_text.split("."))
    failures: list[str] = []
    natives: list[tuple[str, bytes]] = []

    def expect(condition: bool, message: str) -> None:
        if not condition:
            failures.append(message)

    # One version in the sources.
    package_json = json.loads((ROOT / "node" / "package.json").read_text())
    expect(package_json["version"] == version, f"node/package.json has {package_json['version']}, not {version}")
    pom = (ROOT / "kotlin" / "pom.xml").read_text()
    pom_version = re.search(r"<artifactId>aliprefetch</artifactId>\s*<version>([^<]+)</version>", pom)
    expect(pom_version is not None and pom_version.group(1) == version, "kotlin/pom.xml's version")
    changelog = (ROOT / "CHANGELOG.md").read_text()
    heading = re.search(rf"^## {re.escape(version)}\b", changelog, re.M)
    expect(heading is not None, f"CHANGELOG.md has no heading for {version}")

    # crates
    for crate in ["aliprefetch", "aliprefetch-emulator", "aliprefetch-cli"]:
        path = dist / "crates" / f"{crate}-{version}.crate"
        expect(path.is_file(), f"missing {path}")
        if path.is_file():
            with tarfile.open(path) as t:
                names = t.getnames()
            expect(f"{crate}-{version}/LICENSE" in names, f"{path.name}: no LICENSE")

    # CLI archive
    cli = dist / "cli" / f"aliprefetch-{version}-x86_64-unknown-linux-gnu.tar.gz"
    expect(cli.is_file(), f"missing {cli}")
    if cli.is_file():
        with tarfile.open(cli) as t:
            base = f"aliprefetch-{version}-x86_64-unknown-linux-gnu"
            names = set(t.getnames())
            for member in ["aliprefetch", "LICENSE", "README.md", "completions/aliprefetch.bash"]:
                expect(f"{base}/{member}" in names, f"{cli.name}: no {member}")
            binary = t.extractfile(f"{base}/aliprefetch")
            if binary:
                natives.append((f"{cli.name}:aliprefetch", binary.read()))

    # Python
    wheels = list((dist / "python").glob(f"aliprefetch-{version}-cp310-abi3-*.whl"))
    expect(len(wheels) == 1, f"wheels: {wheels}")
    for wheel in wheels:
        expect("manylinux_2_17_x86_64" in wheel.name and "manylinux2014_x86_64" in wheel.name, wheel.name)
        with zipfile.ZipFile(wheel) as z:
            names = z.namelist()
            expect(any(n.endswith("licenses/LICENSE") for n in names), f"{wheel.name}: no LICENSE")
            metadata = z.read(f"aliprefetch-{version}.dist-info/METADATA").decode()
            expect("License-Expression: Apache-2.0" in metadata, f"{wheel.name}: no License-Expression")
            entry_points = z.read(f"aliprefetch-{version}.dist-info/entry_points.txt").decode()
            expect(
                "aliprefetch=aliprefetch._cli:main" in entry_points.replace(" ", ""), f"{wheel.name}: no console script"
            )
            for n in names:
                if n.endswith(".so"):
                    natives.append((f"{wheel.name}:{n}", z.read(n)))
    sdist = dist / "python" / f"aliprefetch-{version}.tar.gz"
    expect(sdist.is_file(), f"missing {sdist}")
    if sdist.is_file():
        with tarfile.open(sdist) as t:
            expect(f"aliprefetch-{version}/LICENSE" in t.getnames(), f"{sdist.name}: no LICENSE")

    # npm
    for tgz, native in [
        (f"aliprefetch-{version}.tgz", None),
        (f"aliprefetch-linux-x64-gnu-{version}.tgz", "package/aliprefetch.linux-x64-gnu.node"),
    ]:
        path = dist / "npm" / tgz
        expect(path.is_file(), f"missing {path}")
        if not path.is_file():
            continue
        with tarfile.open(path) as t:
            names = t.getnames()
            expect("package/LICENSE" in names, f"{tgz}: no LICENSE")
            manifest = json.load(t.extractfile("package/package.json"))  # type: ignore[arg-type]
            expect(manifest["version"] == version, f"{tgz}: version {manifest['version']}")
            expect("scripts" not in manifest, f"{tgz}: has scripts (an install script?)")
            if native:
                expect(manifest.get("libc") == ["glibc"] and manifest.get("os") == ["linux"], f"{tgz}: os/libc")
                natives.append((f"{tgz}:{native}", t.extractfile(native).read()))  # type: ignore[union-attr]
            else:
                expect(
                    manifest.get("optionalDependencies") == {"@aliprefetch/linux-x64-gnu": version},
                    f"{tgz}: optionalDependencies {manifest.get('optionalDependencies')}",
                )

    # Maven
    base = dist / "maven" / "io" / "aliprefetch" / "aliprefetch" / version
    jar = base / f"aliprefetch-{version}.jar"
    expect(jar.is_file() and (base / f"aliprefetch-{version}.pom").is_file(), f"missing {base}")
    if jar.is_file():
        with zipfile.ZipFile(jar) as z:
            names = z.namelist()
            expect("META-INF/LICENSE" in names, f"{jar.name}: no LICENSE")
            expect("io/aliprefetch/Client.class" in names, f"{jar.name}: no io.aliprefetch.Client")
            natives.append(
                (f"{jar.name}:linux-x86-64/libaliprefetch_ffi.so", z.read("linux-x86-64/libaliprefetch_ffi.so"))
            )
    sources = base / f"aliprefetch-{version}-sources.jar"
    expect(sources.is_file(), f"missing {sources.name}")
    if sources.is_file():
        with zipfile.ZipFile(sources) as z:
            names = z.namelist()
            # What a Java or Kotlin user's IDE shows: the generated bindings and the hand-written extensions.
            kotlin = ("aliprefetch_ffi.kt", "Batches.kt", "JavaForms.kt", "Logging.kt")
            for wanted in (f"io/aliprefetch/{name}" for name in kotlin):
                expect(wanted in names, f"{sources.name}: no {wanted}")
            expect(not any(n.endswith(".so") for n in names), f"{sources.name}: holds a native library")

    # The API reference: each language's page of the client names the operations (scripts/docs).
    references = {
        "docs/rust/aliprefetch/struct.Client.html": "set_live_stream_preload_tasks",
        "docs/python/aliprefetch.html": "set_live_stream_preload_tasks",
        "docs/node/classes/Client.html": "setLiveStreamPreloadTasks",
        "docs/kotlin/aliprefetch/io.aliprefetch/-client/index.html": "setLiveStreamPreloadTasksBlocking",
    }
    for page, name in references.items():
        path = dist / page
        expect(path.is_file() and name in path.read_text(errors="replace"), f"{page}: missing, or without {name}")
    expect((dist / "docs" / "index.html").is_file(), "docs/index.html: missing")

    for what, data in natives:
        needed = glibc_needed(data, what)
        shown = ".".join(map(str, needed))
        expect(needed <= floor, f"{what} needs GLIBC_{shown}, newer than {floor_text}")
        print(f"{what}: newest glibc symbol GLIBC_{shown}")
    expect(len(natives) == 4, f"{len(natives)} native files checked, expected 4 (CLI, wheel, npm, jar)")

    if failures:
        sys.exit("target/dist is not right:\n  " + "\n  ".join(failures))
    print(f"target/dist: every artifact at {version}, with LICENSE; {len(natives)} native files within {floor_text}")


if __name__ == "__main__":
    main()
