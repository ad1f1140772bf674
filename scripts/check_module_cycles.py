#!/usr/bin/env python3
"""Fails when the modules of a Rust crate (or binding) import each other in a cycle.

Each `src/` folder is a graph: a module (a file or folder under `src/`, `lib.rs`/`main.rs` aside) points
at every other module its code names as `crate::name` (or `super::name` from a top-level file). So is each
folder module (`src/batch/`): its `mod.rs` and each child file are nodes; a child points at a sibling it
names as `super::sibling` or `crate::folder::sibling`, and at `mod.rs` when it names anything else through
`super::` or globs it (`super::*`); a name `mod.rs` re-exports from a sibling counts as that sibling's, one
it re-exports from elsewhere in the crate as nobody's. `mod.rs` points at the children it names. Test
modules and comments are left out. A strongly connected component of two or more modules is a cycle.
"""

from __future__ import annotations

import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
SOURCES = [
    "crates/aliprefetch/src",
    "crates/aliprefetch-cli/src",
    "crates/aliprefetch-emulator/src",
    "bindings/python/src",
    "bindings/node/src",
    "bindings/ffi/src",
]
TESTS = re.compile(r"#\[cfg\(test\)\]\s*mod tests")
COMMENT = re.compile(r"(^|\s)//[^\n]*")


def module_graph(src: pathlib.Path) -> dict[str, set[str]]:
    files = [f for f in src.rglob("*.rs") if f.relative_to(src).parts[0] not in ("lib.rs", "main.rs")]
    top = {f: f.relative_to(src).with_suffix("").parts[0] for f in files}
    edges: dict[str, set[str]] = {m: set() for m in top.values()}
    for f, module in top.items():
        text = COMMENT.sub(r"\1", TESTS.split(f.read_text())[0])
        named = set(re.findall(r"crate::([a-z_0-9]+)", text))
        for group in re.findall(r"use crate::\{([^}]*)\}", text):
            named.update(re.findall(r"\b([a-z_0-9]+)\b", group))
        if len(f.relative_to(src).parts) == 1:
            named.update(re.findall(r"super::([a-z_0-9]+)", text))
        edges[module].update(m for m in named if m in edges and m != module)
    return edges


def folder_graphs(src: pathlib.Path) -> dict[str, dict[str, set[str]]]:
    """The graph of each folder module's `mod.rs` and child files, by the folder's path under `src/`."""
    graphs = {}
    for folder in sorted(d for d in src.rglob("*") if d.is_dir() and (d / "mod.rs").is_file()):
        children = {f.stem: f for f in folder.glob("*.rs")}
        path = "::".join(folder.relative_to(src).parts)
        edges: dict[str, set[str]] = {name: set() for name in children}
        # A name `mod.rs` only re-exports (`pub use sibling::{Name, …}`) belongs to the sibling.
        reexported: dict[str, str] = {}
        mod_text = COMMENT.sub(r"\1", TESTS.split(children["mod"].read_text())[0])
        for source, names in re.findall(r"\buse ((?:crate::)?[a-z_0-9]+)::\{?([^;}]*)\}?;", mod_text):
            # A name from elsewhere in the crate (`pub use crate::identity::Credentials`) is not mod.rs's.
            owner = source if source in children else "" if source.startswith("crate::") else None
            if owner is not None:
                for name in re.findall(r"\b([A-Za-z_0-9]+)\b", names):
                    reexported[name] = owner
        for name, f in children.items():
            text = COMMENT.sub(r"\1", TESTS.split(f.read_text())[0])
            if name == "mod":
                named = set(re.findall(r"(?<![:\w])([a-z_0-9]+)::", text))
                named.update(re.findall(r"\bmod ([a-z_0-9]+);", text))
                edges[name].update(m for m in named if m in children and m != "mod")
                continue
            targets = re.findall(r"super::([A-Za-z_0-9]+|\*)", text)
            targets += re.findall(rf"crate::{re.escape(path)}::([A-Za-z_0-9]+)", text)
            for group in re.findall(rf"(?:super|crate::{re.escape(path)})::\{{([^}}]*)\}}", text):
                targets += re.findall(r"\b([A-Za-z_0-9]+)\b", group)
            for target in targets:
                target = reexported.get(target, target)
                if target:
                    edges[name].add(target if target in children else "mod")
        graphs[path] = {n: e - {n} for n, e in edges.items()}
    return graphs


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components of two or more modules."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def main() -> int:
    failed = False
    for relative in SOURCES:
        for component in cycles(module_graph(ROOT / relative)):
            print(f"{relative}: modules import each other in a cycle: {' <-> '.join(component)}", file=sys.stderr)
            failed = True
        for folder, edges in folder_graphs(ROOT / relative).items():
            for component in cycles(edges):
                cycle = " <-> ".join(component)
                print(f"{relative}/{folder}: modules import each other in a cycle: {cycle}", file=sys.stderr)
                failed = True
    if not failed:
        print(f"no import cycle between the modules of {len(SOURCES)} crates, nor inside their folder modules")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
