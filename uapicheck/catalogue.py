"""Every rule uapicheck has, of both families (the diff rules of checks/,
the libc gate's of gate/), by code and by name: what the configuration,
`uapicheck rules` and the reports look rules up in."""

from __future__ import annotations

import re

from .checks.registry import RULES
from .gate.rules import GATE_RULES
from .rulebase import AnyRule

ALL: tuple[AnyRule, ...] = tuple(sorted((*RULES, *GATE_RULES), key=lambda r: r.code))
BY_CODE = {r.code: r for r in ALL}
BY_NAME = {r.name: r for r in ALL}
CODE_PREFIX = re.compile(r"^UA\d{0,3}$")


def matching(entry: str) -> list[AnyRule]:
    """The rules an entry names: a code, a code prefix (UA1) or a name, in
    any case."""
    code = entry.upper()
    if CODE_PREFIX.match(code):
        return [r for r in ALL if r.code.startswith(code)]
    name = entry.lower()
    return [r for r in ALL if r.name == name]
