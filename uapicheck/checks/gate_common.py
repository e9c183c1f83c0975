"""What the libc-gate rules share: where a definition comes from, and the
note that says which builds see a warning GCC keeps quiet in system
headers."""

from __future__ import annotations

from ..gate import GateContext

SYSTEM_NOTE = ("GCC reports this where the headers are not system headers: with -I, as in the libc's own build "
               "and programs that pass -I; an error with -Werror. It is silent for /usr/include and -isystem")


def when(ctx: GateContext) -> str:
    first = f"<{ctx.pair.libc}>" if ctx.order == "libc-first" else ", ".join(f"<{k}>" for k in ctx.pair.kernel)
    return f"when {first} comes first"
