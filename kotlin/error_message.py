#!/usr/bin/env python3
"""Gives the generated `AliPrefetchException` a `Throwable.message`: UniFFI's Kotlin for an error object (one class
whose `kind()` says which failure) leaves it null, and `e.message` is the first thing a Kotlin user reads. It becomes
`errorMessage()`, the same sentence `toString()` shows. Fails if the generated class is not found exactly once.

    error_message.py GENERATED_DIR
"""

import pathlib
import sys

DECLARATION = (
    "open class AliPrefetchException : kotlin.Exception, Disposable, AutoCloseable, AliPrefetchExceptionInterface {"
)
ADDED = (
    "\n    /** The error's sentence, as `errorMessage()` (added by kotlin/error_message.py). */\n"
    "    override val message: String? get() = errorMessage()\n"
)


def main() -> None:
    files = [f for f in pathlib.Path(sys.argv[1]).rglob("*.kt") if DECLARATION in f.read_text()]
    if len(files) != 1:
        sys.exit(f"error_message.py: the AliPrefetchException class is in {len(files)} generated files, not 1")
    text = files[0].read_text()
    if text.count(DECLARATION) != 1:
        sys.exit("error_message.py: the AliPrefetchException class is declared more than once")
    files[0].write_text(text.replace(DECLARATION, DECLARATION + ADDED))


if __name__ == "__main__":
    main()
