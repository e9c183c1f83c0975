"""The values of C constants (C11 6.4.4, 6.4.5): integer and character
constants, and the size of string literals, as GCC reads them."""

from __future__ import annotations

from functools import lru_cache

from .errors import EvalError


_ESCAPES = {"n": 10, "t": 9, "r": 13, "a": 7, "b": 8, "f": 12, "v": 11, "e": 27, "E": 27,
            "\\": 92, "'": 39, '"': 34, "?": 63}


@lru_cache(maxsize=65536)  # most constants of a tree are a few spellings
def integer_literal(text: str) -> tuple[int, str, bool]:
    """Value, suffix (lower case, e.g. 'ul') and whether the base is decimal."""
    body = text.replace("'", "")
    low = body.lower()
    end = len(low)
    while end and low[end - 1] in "ul":
        end -= 1
    digits, suffix = low[:end], low[end:]
    if suffix not in ("", "u", "l", "ul", "lu", "ll", "ull", "llu"):
        raise EvalError(f"invalid suffix \"{text[end:]}\" on integer constant")
    try:
        if digits.startswith("0x"):
            return int(digits[2:], 16), suffix, False
        if digits.startswith("0b"):
            return int(digits[2:], 2), suffix, False
        if len(digits) > 1 and digits[0] == "0":
            return int(digits, 8), suffix, False
        if not digits.isdigit():
            raise ValueError
        return int(digits, 10), suffix, True
    except ValueError:
        if any(c in digits for c in ".ep") and not digits.startswith("0x"):
            raise EvalError("floating constant in integer constant expression") from None
        raise EvalError(f"invalid integer constant \"{text}\"") from None


def char_literal(text: str, char_signed: bool) -> int:
    prefix, _, rest = text.partition("'")
    body = rest[:-1]
    chars: list[int] = []
    i = 0
    while i < len(body):
        c = body[i]
        if c != "\\":
            chars.extend(c.encode("utf-8")) if not prefix else chars.append(ord(c))
            i += 1
            continue
        i += 1
        c = body[i] if i < len(body) else ""
        if c in _ESCAPES:
            chars.append(_ESCAPES[c])
            i += 1
        elif c in "01234567":
            j = i
            while j < len(body) and j - i < 3 and body[j] in "01234567":
                j += 1
            chars.append(int(body[i:j], 8))
            i = j
        elif c == "x":
            j = i + 1
            while j < len(body) and body[j] in "0123456789abcdefABCDEF":
                j += 1
            if j == i + 1:
                raise EvalError("\\x used with no following hex digits")
            chars.append(int(body[i + 1:j], 16))
            i = j
        else:
            raise EvalError(f"unknown escape sequence '\\{c}'")
    if not chars:
        raise EvalError("empty character constant")
    if prefix:
        return chars[-1]
    if len(chars) == 1:
        v = chars[0] & 0xFF
        return v - 256 if char_signed and v >= 128 else v
    value = 0
    for ch in chars[-4:]:
        value = ((value << 8) | (ch & 0xFF)) & 0xFFFFFFFF
    return value - (1 << 32) if value >> 31 else value


def string_size(parts: list[str]) -> int:
    """The array size of adjacent string literals joined (6.4.5p5): their
    characters, escapes counted once, plus the terminating zero, in units of
    the widest prefix."""
    count, unit = 0, 1
    for text in parts:
        prefix = text[:text.index('"')]
        unit = max(unit, {"L": 4, "u": 2, "U": 4}.get(prefix, 1))
        body = text[len(prefix) + 1:-1]
        i = 0
        while i < len(body):
            if body[i] == "\\" and i + 1 < len(body):
                i += 2
                if body[i - 1] == "x":
                    while i < len(body) and body[i] in "0123456789abcdefABCDEF":
                        i += 1
                elif body[i - 1] in "01234567":
                    j = 0
                    while i < len(body) and body[i] in "01234567" and j < 2:
                        i += 1
                        j += 1
            else:
                i += 1
            count += 1
    return (count + 1) * unit
