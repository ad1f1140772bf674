"""The ``aliprefetch`` console script: the same command as the Rust binary, run in-process."""

from __future__ import annotations

import sys

from ._aliprefetch import run_cli


def main() -> None:
    try:
        code = run_cli(["aliprefetch", *sys.argv[1:]])
    except KeyboardInterrupt:
        code = 130
    sys.exit(code)


if __name__ == "__main__":
    main()
