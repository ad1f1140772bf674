#!/usr/bin/env python3
"""Fails when the top-level modules of a Rust crate (or binding) import each other in a cycle.

Each `src/` folder is a graph: a module (a file or folder under `src/`, `lib.rs`/`main.rs` aside) points
at every other module its code names as `crate::name` (or `super::name` from a top-level file). Test
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
    if not failed:
        print(f"no import cycle between the modules of {len(SOURCES)} crates")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
