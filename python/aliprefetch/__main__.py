"""``python -m aliprefetch``: the ``aliprefetch`` command."""

from aliprefetch._cli import main

main()
