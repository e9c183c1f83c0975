"""pycparser's parser fed our tokens directly: the same tokens, coordinates
and errors as its own lexer cuts from to_text's text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st
from pycparser.c_lexer import CLexer

from uapicheck import feed, parse
from uapicheck.preprocess.cpp import LexCache, Preprocessor, builtin_macros
from uapicheck.tokens import Token


class Stop(Exception):
    pass


def cut(lexer: CLexer, text: str) -> list[tuple[object, ...]]:
    """Each token with the lexer's file name after it, then the error or the end."""
    def error(message: str, line: int, column: int) -> None:
        raise Stop(message, line, column, lexer.filename)
    lexer.error_func = error
    lexer.input(text, "")
    out: list[tuple[object, ...]] = []
    try:
        while (tok := lexer.token()) is not None:
            out.append((tok.type, tok.value, tok.lineno, tok.column, tok.filename, lexer.filename))
    except Stop as stop:
        out.append(("error", *stop.args))
    out.append(("end", lexer.filename))
    return out


def fed(tokens: list[Token], names: tuple[str, ...]) -> list[tuple[object, ...]] | None:
    lexer = feed.Feed(lambda *_: None, dialect="c23")
    return cut(lexer, "") if lexer.load(tokens, names) else None


def as_text(tokens: list[Token], names: tuple[str, ...]) -> list[tuple[object, ...]]:
    return cut(CLexer(lambda *_: None, dialect="c23"), feed.to_text(tokens, names))


# spellings as the preprocessor hands them over, attribute pieces often, and
# now and then what the lexer would read across white space for
WORDS = ["int", "x", "gnu", "aligned", "struct", "bool", "true", "typedef", "__uc_int128", "$a"]
NUMBERS = ["8", "0x10", "09", "1.2.3", "1'000", "0x1p", "1e+", "0'a"]
PUNCTS = ["(", ")", "[", "]", "{", "}", ";", ",", "*", "::", ":", "<:", "%:", "...", ".", "->"]
RARE = ["'a'", "'ab'", "''", '"a b"', '"\\("', "'", '"', "#", "##", "@", "\\", "\xa0", "\x1c"]
CHUNKS = [["[", "["], ["]", "]"], ["gnu", "::", "aligned", "("], ["(", "8", ")"], ["[", "[", "gnu", "::", "packed", "]", "]"]]
FILES = ["/t/a.h", "/t/b.h", "/t/c d.h", '/t/q"x.h', "/t/w\\(.h"]


@st.composite
def tokens(draw: st.DrawFn) -> list[Token]:
    texts: list[str] = []
    for _ in range(draw(st.integers(0, 30))):
        pick = draw(st.integers(0, 99))
        if pick < 30:
            texts += draw(st.sampled_from(CHUNKS))
        elif pick < 50:
            texts.append(draw(st.sampled_from(WORDS)))
        elif pick < 60:
            texts.append(draw(st.sampled_from(NUMBERS)))
        elif pick < 97:
            texts.append(draw(st.sampled_from(PUNCTS)))
        else:
            texts.append(draw(st.sampled_from(RARE)))
    out = []
    file, line = "/t/a.h", 1
    for text in texts:
        move = draw(st.integers(0, 99))
        if move < 10:
            file = draw(st.sampled_from(FILES[:3] if move else FILES))
        if move < 20:
            line = draw(st.integers(1, 30))  # backwards, on, or past the 8 lines a marker saves
        elif move < 35:
            line += 1
        out.append(Token("other", text, file, line, draw(st.integers(1, 12)), True))
    return out


@settings(max_examples=2000, deadline=None)
@given(tokens(), st.sampled_from([(), ("T",), ("__uc_int128", "x")]))
def test_the_fed_tokens_are_those_cut_from_the_text(toks: list[Token], names: tuple[str, ...]) -> None:
    ours = fed(toks, names)
    if ours is not None:
        assert ours == as_text(toks, names)


def test_an_attribute_argument_across_a_line_marker_drifts_as_in_the_text() -> None:
    # the lexer takes the marker in the raw argument text for text: the
    # lines after it count on from the parenthesis, in its file
    toks = [Token("punct", t, "/t/a.h", 3, c, True) for t, c in [("[", 1), ("[", 2), ("gnu", 3), ("::", 6),
                                                                 ("aligned", 8), ("(", 15)]]
    toks += [Token("num", "8", "/t/b.h", 40, 9, False), Token("punct", ")", "/t/a.h", 3, 16, False),
             Token("punct", "]", "/t/a.h", 3, 17, False), Token("punct", "]", "/t/a.h", 3, 18, False),
             Token("id", "int", "/t/a.h", 4, 1, True), Token("id", "x", "/t/a.h", 4, 5, True)]
    ours = fed(toks, ())
    assert ours is not None and ours == as_text(toks, ())
    assert ("ID", "x", 8, 5, "/t/a.h", "/t/a.h") in ours


class OneFile:
    def __init__(self, text: str) -> None:
        self.text = text

    def read(self, path: str) -> bytes:
        if path != "/t/main.h":
            raise FileNotFoundError(2, "No such file or directory", path)
        return self.text.encode()

    def is_file(self, path: str) -> bool:
        return path == "/t/main.h"


HEADER = """\
#define ALIGN __attribute__((aligned(8)))
#define PACKED __attribute__((__packed__))
struct a { int x ALIGN; char c; } PACKED;
#pragma pack(push, 2)
struct b { char c; int i; };
#pragma pack(pop)
typedef int __attribute__((aligned(
    16))) wide;
enum e { E = 'a', F = 0x10 };
static __inline__ int f(int v) { return v + 1; }
"""


@pytest.mark.parametrize("text", [
    HEADER,
    HEADER + "enum g { G = 09 };\n",  # pycparser's lexer stops on a bad constant
    "#define BAD int )\nstruct s { BAD; };\n",  # the column comes from the macro's expansion
    "struct s { int a; } __attribute__((aligned(8);\n",  # an argument clause never closed
    "struct s { char q['] ; };\n",  # a stray quote: read across the text
])
def test_declarations_as_from_the_text(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    pp = Preprocessor(LexCache(OneFile(text)), ["/t"], builtin_macros({"__x86_64__": "1"}))
    unit = pp.run("/t/main.h")
    ours = parse._parse(unit.tokens, "/t/main.h", ())
    monkeypatch.setattr(feed.Feed, "load", lambda *_: False)
    theirs = parse._parse(unit.tokens, "/t/main.h", ())
    assert repr(ours) == repr(theirs)
    assert bool(ours.diagnostics) == (text != HEADER)
