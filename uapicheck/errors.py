"""Errors that cross stages.

UapicheckError is the root of every error a user can cause: a bad
argument, file, revision, snapshot or configuration. The command line
catches it once, prints its message on one line and exits with status 2;
anything else that escapes is a bug (status 3).

EvalError is a constant expression a compiler would reject; the stage
that evaluates it turns it into a diagnostic on the header's line.
"""

from __future__ import annotations

from .tokens import Token


class UapicheckError(Exception):
    pass


class EvalError(Exception):
    def __init__(self, message: str, token: Token | None = None, lacks: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.token = token
        self.lacks = lacks  # an identifier nothing defines
