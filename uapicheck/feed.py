"""Preprocessed tokens handed to pycparser's parser as its lexer would cut them.

pycparser reads text. ``to_text`` writes our tokens as C text whose
coordinates are theirs: ``#line`` markers, each token at its own column (or
one space after the one before). Cutting that text up again was a third of
pycparser's time, so ``Feed`` gives the parser, straight from our tokens, the
tokens its lexer would cut from that text, with the same coordinates and the
same errors at the same point: the text is only imagined (``layout`` says
where each token would be). Which token a spelling is, pycparser's lexer
decides, once per spelling (``_CUTS``).

In the text every token stands apart from the next, so a spelling is cut
as if it were alone, except where the lexer reads across white space. C23
attributes it does: ``[ [`` and ``] ]`` are one token each, and an
attribute's argument clause is one token holding the raw text up to the
closing parenthesis, whose ``#line`` markers the lexer takes for text, not
for markers. ``Feed`` follows that, down to the drift in line numbers such a
clause leaves. The rest is rare and only in hostile headers: a stray quote
(the lexer would read on to the next quote or the end of the line), a ``#``
(it would read a directive), a white-space character our lexer keeps as a
token, a file name a ``#line`` marker cannot carry. Such tokens go through
the text (``parse_c``). All this follows pycparser 3.12's lexer, the version
pinned in pyproject.toml.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from operator import attrgetter

from pycparser import c_ast
from pycparser.c_lexer import CLexer
from pycparser.c_lexer import Token as CToken
from pycparser.c_parser import CParser

from .tokens import Token

MARKER = -1  # in a layout: a #line marker comes before the token


def layout(tokens: Sequence[Token]) -> list[tuple[int, int]]:
    """Where to_text writes each token: MARKER or the newlines before it,
    and its column. A marker starts each file and each jump in lines
    (backwards, or more than 8 lines on)."""
    out = []
    file = None
    line = 0
    col = 1
    for t in tokens:
        if t.file != file or t.line < line or t.line > line + 8:
            gap = MARKER
            file, line, col = t.file, t.line, 1
        else:
            gap = t.line - line
            if gap:
                line, col = t.line, 1
        if t.col > col:
            col = t.col
        elif col > 1:
            col += 1
        out.append((gap, col))
        col += len(t.text)
    return out


def written(tokens: Sequence[Token], places: Sequence[tuple[int, int]], start: int, end: int) -> str:
    """The text to_text writes for tokens[start:end], after tokens[start - 1]."""
    parts = []
    for i in range(start, end):
        t = tokens[i]
        gap, col = places[i]
        if gap == MARKER:
            parts.append(f'\n#line {t.line} "{t.file}"\n' + " " * (col - 1))
        elif gap:
            parts.append("\n" * gap + " " * (col - 1))
        else:
            parts.append(" " * (col - places[i - 1][1] - len(tokens[i - 1].text)))
        parts.append(t.text)
    return "".join(parts)


def to_text(tokens: Sequence[Token], names: Sequence[str] = ()) -> str:
    """C text with #line markers, so pycparser's coordinates name the header;
    the type names are declared first (as int: only their being type names
    matters to the grammar), outside any file."""
    prelude = "".join(f"typedef int {n};\n" for n in names)
    return prelude + written(tokens, layout(tokens), 0, len(tokens)) + "\n"


def parse_c(tokens: Sequence[Token], names: Sequence[str]) -> c_ast.FileAST:
    """pycparser's tree of to_text(tokens, names) in C23 (its attributes),
    or its ParseError."""
    parser = CParser(lexer=Feed, dialect="c23")
    assert isinstance(parser.clex, Feed)
    text = ""
    if not parser.clex.load(tokens, names):
        parser, text = CParser(dialect="c23"), to_text(tokens, names)
    try:
        return parser.parse(text, filename="")
    finally:
        # the lexer calls back the parser, which holds it: a cycle, and with it
        # every token of the unit, left to Python's cycle collector
        parser.clex.error_func = _stop


class _Stop(Exception):
    pass


def _stop(message: str, line: int, column: int) -> None:
    raise _Stop(message, column - 1)


# how a spelling is cut: a token type (the spelling is one token), or the
# (type, text, offset) of each token, the last of type "" where the lexer
# stops with an error (its message for text); None when the text around the
# spelling could change its cut
Cut = str | tuple[tuple[str, str, int], ...] | None
_RISKY = re.compile(r"['\"\s]")
MAX_SPELLINGS = 200_000  # cuts kept: past it, they start again (memory)


class _Cuts(dict[str, Cut]):
    def __init__(self, attribute: bool) -> None:
        super().__init__()
        self.lexer = CLexer(_stop, dialect="c23")
        self.attribute = attribute  # in [[...]]: identifiers are never keywords

    def __missing__(self, text: str) -> Cut:
        lexer = self.lexer
        lexer.input(text)
        lexer._in_attribute = self.attribute
        parts = []
        cut: Cut
        try:
            while (tok := lexer.token()) is not None:
                parts.append((tok.type, tok.value, tok.column - 1))
        except _Stop as stop:
            parts.append(("", stop.args[0], stop.args[1]))
        if parts and parts[-1][0] == "" and _RISKY.search(text) or any(kind == "PPHASH" for kind, _, _ in parts):
            cut = None
        elif len(parts) == 1 and parts[0][1] == text:
            cut = parts[0][0]
        else:
            cut = tuple(parts)
        if len(self) >= MAX_SPELLINGS:
            self.clear()
        self[text] = cut
        return cut


_CUTS = _Cuts(False)
_CUTS_IN_ATTRIBUTE = _Cuts(True)
_FILES: dict[str, bool] = {}  # whether a #line marker carries the file name


def _carried(file: str) -> bool:
    lexer = CLexer(_stop)
    lexer.input(f'#line 1 "{file}"\nx')
    try:
        tok = lexer.token()
    except _Stop:
        return False
    return tok is not None and tok.filename == file and tok.lineno == 1


class Feed(CLexer):
    """pycparser's lexer, cutting the text of load()'s tokens without
    writing it. The parser's input() text is ignored."""

    def load(self, tokens: Sequence[Token], names: Sequence[str]) -> bool:
        """Take tokens and the type names declared before them; False if
        some of them can only be cut from the text."""
        cuts = list(map(_CUTS.__getitem__, map(attrgetter("text"), tokens)))
        if None in cuts:
            return False
        for file in set(map(attrgetter("file"), tokens)):
            if file not in _FILES:
                _FILES[file] = _carried(file)
            if not _FILES[file]:
                return False
        self._source = tokens
        self._cuts = cuts
        self._names = names
        return True

    def input(self, text: str, filename: str = "") -> None:
        super().input(text, filename)
        self._stream = self._cut()

    def token(self) -> CToken | None:
        return next(self._stream, None)

    def _cut(self) -> Iterator[CToken]:
        for number, name in enumerate(self._names, 1):
            for text, col in (("typedef", 1), ("int", 9), (name, 13), (";", 13 + len(name))):
                kind = _CUTS[text]
                assert isinstance(kind, str)  # words
                yield CToken(kind, text, number, col, "")
        tokens, cuts = self._source, self._cuts
        places = layout(tokens)
        n = len(tokens)
        file = ""  # the lexer's: a marker inside attribute arguments is text to it
        drift = 0  # the lexer's line number less the token's, after such a marker
        attribute = False
        i = 0
        while i < n:
            t = tokens[i]
            gap, col = places[i]
            if gap == MARKER:
                file, drift = t.file, 0
            line = t.line + drift
            text = t.text
            self._filename = file
            if attribute and text == "(":
                # the raw text up to the matching parenthesis, by the lexer's count
                closers = [")"]
                end = i + 1
                while end < n and closers:
                    inner = tokens[end].text
                    if inner in _PAIRS:
                        closers.append(_PAIRS[inner])
                    elif inner in _CLOSERS:
                        if inner != closers.pop():
                            self.error_func("Mismatched delimiter in attribute arguments", line, col)
                            return
                        if not closers:
                            break
                    end += 1
                if closers:
                    self.error_func("Unterminated attribute arguments", line, col)
                    return
                value = written(tokens, places, i + 1, end + 1)[:-1]
                yield CToken("ATTRIBUTE_ARGUMENTS", value, line, col, file)
                drift = line + value.count("\n") - tokens[end].line
                i = end + 1
                continue
            if (text == "]" if attribute else text == "[") and i + 1 < n and tokens[i + 1].text == text \
                    and places[i + 1][0] != MARKER:
                attribute = not attribute
                yield CToken("ATTRIBUTE_BEGIN" if attribute else "ATTRIBUTE_END",
                             text + written(tokens, places, i + 1, i + 2), line, col, file)
                i += 2
                continue
            kind = _CUTS_IN_ATTRIBUTE[text] if attribute else cuts[i]
            assert kind is not None  # load() saw to it
            if isinstance(kind, str):
                yield CToken(kind, text, line, col, file)
            else:
                for part, value, offset in kind:
                    if not part:
                        self.error_func(value, line, col + offset)  # the parser's raises
                        return
                    yield CToken(part, value, line, col + offset, file)
            i += 1


_PAIRS = {"(": ")", "[": "]", "{": "}"}
_CLOSERS = frozenset(")]}")
