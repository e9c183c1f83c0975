"""The gate's rules, in the order they run: the enumerator rule explains
parse errors that the header-error rule would otherwise report."""

from __future__ import annotations

from ..context import GateRule
from .enumerator_clobbered import GateEnumeratorClobbered
from .header_error import GateHeaderError
from .if_undefined import GateIfUndefined
from .layout_differs import GateLayoutDiffers
from .macro_redefined import GateMacroRedefined
from .name_conflict import GateNameConflict
from .type_redefined import GateTypeRedefined
from .value_mismatch import GateValueMismatch

GATE_RULES: tuple[type[GateRule], ...] = (
    GateMacroRedefined, GateValueMismatch, GateTypeRedefined, GateNameConflict, GateEnumeratorClobbered,
    GateIfUndefined, GateLayoutDiffers, GateHeaderError,
)
