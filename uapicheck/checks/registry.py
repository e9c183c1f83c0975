"""Every rule, in the order they run: rules that explain a change (and
claim it) come before the rules that would report it as a break."""

from __future__ import annotations

from . import DiffRule
from .definition_moved import DefinitionMoved
from .enum_grew import EnumGrew
from .enumerator_inserted import EnumeratorInserted
from .enumerator_removed import EnumeratorRemoved
from .enumerator_value_changed import EnumeratorValueChanged
from .flag_collision import FlagCollision
from .flexible_array import FlexibleArray
from .header_broken import HeaderBroken
from .header_removed import HeaderRemoved
from .identifier_not_in_user_space import IdentifierNotInUserSpace
from .implicit_padding import ImplicitPadding
from .ioctl_number_changed import IoctlNumberChanged
from .layout_32_64 import Layout3264
from .limit_raised import LimitRaised
from .macro_clashes_with_libc import MacroClashesWithLibc
from .macro_enum_swap import MacroEnumSwap
from .macro_if_lost import MacroIfLost
from .macro_if_value import MacroIfValue
from .macro_not_constant import MacroNotConstant
from .macro_params_changed import MacroParamsChanged
from .macro_removed import MacroRemoved
from .macro_token_form import MacroTokenForm
from .macro_value_changed import MacroValueChanged
from .member_offset_changed import MemberOffsetChanged
from .member_removed import MemberRemoved
from .member_renamed import MemberRenamed
from .member_size_changed import MemberSizeChanged
from .member_type_changed import MemberTypeChanged
from .reserved_member_used import ReservedMemberUsed
from .signed_shift import SignedShift
from .size_version_mismatch import SizeVersionMismatch
from .struct_extended import StructExtended
from .type_added import TypeAdded
from .type_align_changed import TypeAlignChanged
from .type_removed import TypeRemoved
from .type_size_changed import TypeSizeChanged
from .typedef_changed import TypedefChanged

RULES: tuple[type[DiffRule], ...] = (
    # a header that broke explains what it no longer declares
    HeaderRemoved, HeaderBroken,
    # explanations next
    DefinitionMoved, MacroEnumSwap, StructExtended, ReservedMemberUsed, FlexibleArray, MemberRenamed,
    EnumGrew, EnumeratorInserted, IoctlNumberChanged, LimitRaised,
    # macros
    IdentifierNotInUserSpace, MacroRemoved, MacroValueChanged, MacroTokenForm, MacroClashesWithLibc, MacroIfLost,
    MacroIfValue, MacroParamsChanged, SignedShift, MacroNotConstant,
    # types
    TypeRemoved, TypeSizeChanged, TypeAlignChanged, MemberOffsetChanged, MemberRemoved, MemberTypeChanged,
    MemberSizeChanged, TypedefChanged, Layout3264, ImplicitPadding, SizeVersionMismatch, TypeAdded,
    # enums
    EnumeratorRemoved, EnumeratorValueChanged,
    # flags
    FlagCollision,
)
