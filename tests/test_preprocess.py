"""The preprocessor on small inputs: token identity as GCC decides it, #if
arithmetic, and bounds on hostile input."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from uapicheck.errors import EvalError
from uapicheck.expr import eval_if
from uapicheck.preprocess.cpp import LexCache, Preprocessor, builtin_macros
from uapicheck.preprocess.lexer import lex


class MemFS:
    def __init__(self, files: dict[str, str | bytes]) -> None:
        self.files = {k: v.encode() if isinstance(v, str) else v for k, v in files.items()}

    def read(self, path: str) -> bytes:
        if path not in self.files:
            raise FileNotFoundError(2, "No such file or directory", path)
        return self.files[path]

    def is_file(self, path: str) -> bool:
        return path in self.files


def run(files: dict[str, str | bytes], main: str = "/t/main.h"):
    pp = Preprocessor(LexCache(MemFS(files)), ["/t"], builtin_macros({"__x86_64__": "1"}))
    return pp, pp.run(main)


# (first definition, second definition, identical per C11 6.10.3p2)
IDENTITY = [
    ("(1<<0)", "(1 << 0)", False),
    ("(1 << 0)", "(1 <<  0)", True),
    ("(1 <<  0)", "(1 /*x*/ << 0)", True),
    ("1", "(1 << 0)", False),
    ("1", " 1", True),
    ("0x1", "1", False),
    ("a+b", "a+ b", False),
    ("f(x)", "f (x)", False),
]


@pytest.mark.parametrize("a,b,same", IDENTITY)
def test_redefinition_identity(a: str, b: str, same: bool) -> None:
    _, unit = run({"/t/main.h": f"#define X {a}\n#define X {b}\n"})
    assert (not unit.redefinitions) == same


@pytest.mark.gcc
@pytest.mark.skipif(not shutil.which("gcc"), reason="gcc not installed")
@pytest.mark.parametrize("a,b,same", IDENTITY)
def test_redefinition_identity_matches_gcc(a: str, b: str, same: bool, tmp_path) -> None:
    src = tmp_path / "r.c"
    src.write_text(f"#define X {a}\n#define X {b}\n")
    proc = subprocess.run(["gcc", "-E", str(src)], capture_output=True, text=True)
    gcc_same = "redefined" not in proc.stderr
    _, unit = run({"/t/main.h": src.read_text()})
    assert (not unit.redefinitions) == gcc_same


@pytest.mark.parametrize("text, tokens", [
    # what each token is, where it starts, and whether white space (or a comment) came before it
    ("a  b\t/* c */c//d\n e", [("id", "a", 1, 1, False), ("id", "b", 1, 4, True), ("id", "c", 1, 13, True),
                              ("id", "e", 2, 2, True)]),
    ("32 \t", [("num", "32", 1, 1, False)]),  # white space at the end of a text without a newline
    ("x /* two\nlines */y @", [("id", "x", 1, 1, False), ("id", "y", 2, 9, True), ("other", "@", 2, 11, True)]),
])
def test_tokens_lines_columns_and_spaces(text: str, tokens: list[tuple[str, str, int, int, bool]]) -> None:
    got = [t for line in lex("x.h", text.encode()).lines for t in line]
    assert [(t.kind, t.text, t.line, t.col, t.space) for t in got] == tokens


def test_function_like_token_form_and_params() -> None:
    _, unit = run({"/t/main.h": "#define F(a, ...) g(a, ##__VA_ARGS__)\n#define S(x) #x\n"})
    f = unit.macros["F"]
    assert f.params == ("a", "__VA_ARGS__") and f.variadic
    assert f.replacement() == "g(a, ##__VA_ARGS__)"


def expand_text(files: dict[str, str], text: str) -> str:
    pp, _ = run(files)
    from uapicheck.tokens import spell
    return spell(pp.expand([t for line in lex("/t/x.h", text.encode()).lines for t in line]))


def test_expansion_rules() -> None:
    files = {"/t/main.h": "#define F(x) x + F(x)\n#define G(a, ...) h(a, ## __VA_ARGS__)\n"
                          "#define CAT(a, b) a ## b\n#define STR(x) #x\n#define OBJ CAT(1, 2)\n"}
    assert expand_text(files, "F(1)") == "1 + F(1)"  # no recursion (6.10.3.4p2)
    assert expand_text(files, "G(1)") == "h(1)"  # GNU comma swallowing
    assert expand_text(files, "OBJ") == "12"
    assert expand_text(files, 'STR(a  "b" c)') == '"a \\"b\\" c"'


def if_value(expr: str) -> tuple[int, bool]:
    r = eval_if([t for line in lex("x", expr.encode()).lines for t in line])
    return r.value, r.unsigned


def test_if_arithmetic_is_intmax() -> None:
    assert if_value("(~0U)") == (0xFFFFFFFFFFFFFFFF, True)
    assert if_value("-1 < 0U") == (0, False)
    assert if_value("(1 << 31)") == (2147483648, False)
    assert if_value("0x7fffffffffffffff + 0") == ((1 << 63) - 1, False)
    assert if_value("1 ? 2 : (1/0)") == (2, False)
    with pytest.raises(EvalError):
        if_value("1 / 0")
    with pytest.raises(EvalError, match="missing binary operator"):
        if_value("(int)1")


def test_if_undefined_identifiers_are_zero_and_listed() -> None:
    r = eval_if([t for line in lex("x", b"O_CLOEXEC | 1").lines for t in line])
    assert (r.value, r.undefined) == (1, ["O_CLOEXEC"])


@pytest.mark.parametrize("text,message", [
    ("#if 1\nint x;\n", "unterminated #if"),
    ("/* never closed\n", "unterminated comment"),
    ("#error stop here\n", "#error stop here"),
    ("#include <missing.h>\n", "missing.h: No such file or directory"),
    ("#if 1 +\n#endif\n", "#if"),
    ("#define A B B\n#define B C C\n#define C D D\n#define D E E\n#define E F F\n#define F G G\n"
     "#define G H H\n#define H I I\n#define I J J\n#define J K K\n#define K L L\n#define L M M\n"
     "#define M N N\n#define N O O\n#define O P P\n#define P Q Q\n#define Q R R\nA\n", "more than"),
    ("#include \"main.h\"\n", "nested depth"),
])
def test_bad_input_gives_a_diagnostic_with_a_line(text: str, message: str) -> None:
    _, unit = run({"/t/main.h": text})
    errors = [d for d in unit.diagnostics if d.severity == "error"]
    assert errors, unit.diagnostics
    assert any(message in d.message for d in errors), [d.render() for d in errors]
    assert all(d.location.line > 0 or "nested" in d.message or "more than" in d.message for d in errors)


def test_non_utf8_and_nul_bytes_are_warnings() -> None:
    _, unit = run({"/t/main.h": b"#define A 1 /* \xff */\nint\0 x;\n"})
    assert {d.message.split(";")[0] for d in unit.diagnostics} == {
        "file is not valid UTF-8", "null character(s) ignored"}
    assert unit.macros["A"].replacement() == "1"
