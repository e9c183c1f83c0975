"""Translation phases 1-3 (C11 5.1.1.2): splice lines, drop comments, cut
preprocessing tokens.

Every token keeps its file, line and column, and whether white space (or a
comment, which phase 3 turns into one space) came before it on the same
logical line. That flag is what C11 6.10.3p1 compares when it asks whether two
replacement lists are identical.
"""

from __future__ import annotations

import bisect
import re
import sys
from dataclasses import dataclass, field

from ..tokens import Token

MAX_FILE_BYTES = 16 * 1024 * 1024


# every match takes the white space before its item: half as many matches (white space at
# the end of the text is no match, not an 'other')
_TOKEN_RE = re.compile(
    r"""
    [ \t\f\v\r]*
    (?:(?P<nl>\n)
    |(?P<lc>//[^\n]*)
    |(?P<bc>/\*.*?\*/)
    |(?P<ubc>/\*)
    |(?P<num>\.?[0-9](?:[eEpP][+-]|[0-9a-zA-Z_.]|'(?=[0-9a-zA-Z_]))*)
    |(?P<chr>(?:u8|[uUL])?'(?:\\.|[^'\\\n])*')
    |(?P<str>(?:u8|[uUL])?"(?:\\.|[^"\\\n])*")
    |(?P<id>[A-Za-z_$][A-Za-z0-9_$]*)
    |(?P<punct>%:%:|\.\.\.|<<=|>>=|->|\+\+|--|<<|>>|<=|>=|==|!=|&&|\|\||[*/%+\-&^|]=|\#\#|<:|:>|<%|%>|%:|[][(){}.&*+\-~!/%<>^|?:;=,\#])
    |(?P<other>[^ \t\f\v\r]))  # a stray quote too (an unterminated literal: GCC only warns, outside #if 0)
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass
class Problem:
    """A lexical problem, reported by the preprocessor as a diagnostic."""

    severity: str
    line: int
    col: int
    message: str


@dataclass
class LexedFile:
    """A file cut into logical lines of tokens."""

    path: str
    lines: list[list[Token]]
    problems: list[Problem] = field(default_factory=list)


def decode(data: bytes) -> tuple[str, list[Problem]]:
    problems: list[Problem] = []
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        problems.append(Problem("warning", line, col, "file is not valid UTF-8; bytes were read as Latin-1"))
        text = data.decode("latin-1")
    if "\0" in text:
        off = text.index("\0")
        line = text.count("\n", 0, off) + 1
        problems.append(Problem("warning", line, 1, "null character(s) ignored"))
        text = text.replace("\0", "")
    return text, problems


def lex(path: str, data: bytes) -> LexedFile:
    text, problems = decode(data)
    if "\\" in text:
        text = text.replace("\r\n", "\n")
        # Phase 2: remember where physical newlines were spliced away.
        splices: list[int] = []
        parts = text.split("\\\n")
        pos = 0
        for part in parts[:-1]:
            pos += len(part)
            splices.append(pos)
        text = "".join(parts)
    else:
        splices = []
    newlines = [m.start() for m in re.finditer("\n", text)] if splices else []

    def where(off: int) -> tuple[int, int]:
        nl = bisect.bisect_left(newlines, off)
        line = nl + bisect.bisect_right(splices, off) + 1
        start = newlines[nl - 1] + 1 if nl else 0
        return line, off - start + 1

    lines: list[list[Token]] = []
    current: list[Token] = []
    space = False
    line, line_start = 1, 0  # where no line was spliced, counted as the newlines go by
    for m in _TOKEN_RE.finditer(text):
        kind = m.lastgroup
        assert kind is not None
        start = m.start(kind)
        if kind == "lc":
            space = True
            continue
        if kind == "bc":
            space = True
            end = m.end()
            inside = text.count("\n", start, end)
            if inside:
                line += inside
                line_start = text.rindex("\n", start, end) + 1
            continue
        if kind == "nl":
            line += 1
            line_start = m.end()
            if current:
                lines.append(current)
                current = []
            space = False
            continue
        space = space or start > m.start()
        at, col = where(start) if splices else (line, start - line_start + 1)
        if kind == "ubc":
            problems.append(Problem("error", at, col, "unterminated comment"))
            break
        tok_text = sys.intern(m.group(kind))  # one string for each spelling: most repeat, and a run keeps every file
        current.append(Token(kind, tok_text, path, at, col, space))
        space = False
    if current:
        lines.append(current)
    return LexedFile(path, lines, problems)


def lex_text(text: str, path: str = "<text>") -> list[Token]:
    """Tokens of a short piece of text, such as an attribute argument."""
    out: list[Token] = []
    for line in lex(path, text.encode()).lines:
        out.extend(line)
    return out
