#!/usr/bin/env python3
"""Gives every `suspend fun` of the generated classes two forms Java can call, beside it in the same class:

- `nameBlocking(…)`, which blocks the calling thread until the call settles and throws `AliPrefetchException`
  (declared with `@Throws`, so Java can catch it);
- `nameAsync(…)`, which returns a `CompletableFuture`; cancelling the future cancels the call.

UniFFI's Kotlin has only the `suspend` form, which Java cannot call. The forms call `javaBlocking` and
`javaFuture` (src/main/kotlin/io/aliprefetch/JavaForms.kt). Also, for Java:

- the named constructors in companion objects (`Emulator.start`) become `@JvmStatic`, with `@JvmOverloads`;
- a record's constructor gets `@JvmOverloads`, so trailing defaults can be left out (a record whose fields all have
  defaults has a no-argument constructor and setters anyway).

Fails unless it finds the `Client` methods, `Emulator.start` and `ClientConfig`.

    java_forms.py GENERATED_DIR
"""

import pathlib
import re
import sys

SUSPEND = re.compile(r"^    override suspend fun `(\w+)`\((.*)\) : (.+) \{$")
PARAM = re.compile(r"`(\w+)`: ")
STATIC = re.compile(r"^    (?:@Throws\(AliPrefetchException::class\) )?fun `(\w+)`\(")
RECORD = re.compile(r"^data class (\w+) \($")


def forms(name: str, params: str, returns: str) -> str:
    args = ", ".join(f"`{p}`" for p in PARAM.findall(params))
    return (
        f"    /** [{name}] for Java: blocks the calling thread until it settles (added by kotlin/java_forms.py). */\n"
        f"    @Throws(AliPrefetchException::class)\n"
        f"    fun `{name}Blocking`({params}): {returns} = javaBlocking {{ `{name}`({args}) }}\n\n"
        f"    /** [{name}] for Java: a `CompletableFuture` of its result; cancelling the future cancels the call. */\n"
        f"    fun `{name}Async`({params}): java.util.concurrent.CompletableFuture<{returns}> =\n"
        f"        javaFuture {{ `{name}`({args}) }}\n\n"
    )


def main() -> None:
    files = [f for f in pathlib.Path(sys.argv[1]).rglob("*.kt") if "override suspend fun" in f.read_text()]
    if len(files) != 1:
        sys.exit(f"java_forms.py: the suspend functions are in {len(files)} generated files, not 1")
    lines = files[0].read_text().splitlines(keepends=True)
    out: list[str] = []
    added: list[str] = []
    in_companion = False
    for line in lines:
        if line.startswith("    companion object"):
            in_companion = True
        elif line.startswith("    }"):
            in_companion = False
        elif in_companion and (static := STATIC.match(line)):
            added.append("static " + static.group(1))
            line = "    @JvmStatic @JvmOverloads " + line[4:]
        record = RECORD.match(line)
        if record:
            line = f"data class {record.group(1)} @JvmOverloads constructor (\n"
            added.append("record " + record.group(1))
        found = SUSPEND.match(line.rstrip("\n"))
        if found:
            # Before the annotations that precede the suspend form (`@Throws`, `@Suppress`, a blank line).
            at = len(out)
            while at > 0 and (out[at - 1].strip().startswith("@") or not out[at - 1].strip()):
                at -= 1
            out.insert(at, "\n" + forms(*found.groups()))
            added.append(found.group(1))
        out.append(line)
    wanted = ["describeLiveStreamPreloadTasks", "next", "static start", "record ClientConfig"]
    if any(w not in added for w in wanted):
        sys.exit(f"java_forms.py: the Client and batch methods were not found (found {added})")
    files[0].write_text("".join(out))


if __name__ == "__main__":
    main()
