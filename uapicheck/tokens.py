"""Preprocessing tokens: what the lexer cuts, the preprocessor expands, the
expression evaluator reads and the parser is given back as text.

Every token keeps its file, line and column, and whether white space came
before it on the same logical line: C11 6.10.3p1 compares that presence
when it asks whether two replacement lists are identical.
"""

from __future__ import annotations

from collections.abc import Sequence


class Token:
    __slots__ = ("kind", "text", "file", "line", "col", "space", "hide")

    def __init__(
        self,
        kind: str,
        text: str,
        file: str,
        line: int,
        col: int,
        space: bool,
        hide: frozenset[str] = frozenset(),
    ) -> None:
        self.kind = kind  # id num chr str punct other
        self.text = text
        self.file = file
        self.line = line
        self.col = col
        self.space = space
        self.hide = hide

    def copy(self, *, space: bool | None = None, hide: frozenset[str] | None = None) -> Token:
        return Token(
            self.kind,
            self.text,
            self.file,
            self.line,
            self.col,
            self.space if space is None else space,
            self.hide if hide is None else hide,
        )

    def __repr__(self) -> str:
        return f"Token({self.kind}, {self.text!r}, {self.line}:{self.col})"


def closed(tokens: Sequence[Token]) -> bool:
    """Whether tokens have no identifier (not even C's, such as sizeof): an
    expression of them reads no macro, type or constant, and parses the same
    in C and in #if."""
    return all(t.kind != "id" for t in tokens)


def spell(tokens: Sequence[Token]) -> str:
    """Tokens written back with one space wherever white space was."""
    parts: list[str] = []
    for i, tok in enumerate(tokens):
        if i and tok.space:
            parts.append(" ")
        parts.append(tok.text)
    return "".join(parts)
