"""The preprocessor on small inputs: token identity as GCC decides it, #if
arithmetic, and bounds on hostile input."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from uapicheck.errors import EvalError
from uapicheck.expr import eval_if
from uapicheck.preprocess import cpp
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
    ("#define A B B\n#define B C C\n#define C D D\n#define D E E\n#define E F F\n#define F G G\n"
     "#define G H H\n#define H I I\n#define I J J\n#define J K K\n#define K L L\n#define L M M\n"
     "#define M N N\n#define N O O\n#define O P P\n#define P Q Q\n#define Q R R\n#include A\n", "more than"),
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


# Units that share a LexCache reuse chunks and whole inclusions (a file and
# what it includes) where what those read is the same: each scenario is a
# tree and the units run one after the other; each unit must come out as it
# does from a fresh cache, and the later ones must have replayed something
# (else the comparison would test nothing).
SHARED = "#include \"b.h\"\n#ifdef X\nint x;\n#endif\n#if Z\nint z;\n#endif\n#define Y 1\n"
GUARDED_B = "#ifndef B_H\n#define B_H\nint b;\n#endif\n"
ONCE_B = "#pragma once\nint b;\n"
REPLAY_SCENARIOS = {
    "a macro read inside": {
        "/t/a.h": SHARED, "/t/b.h": "#ifdef X\nint bx;\n#else\nint bnox;\n#endif\n",
        "/t/m1.h": "#include \"a.h\"\n", "/t/m2.h": "#define X 1\n#include \"a.h\"\n",
        "/t/m3.h": "#include \"a.h\"\n",
    },
    "a guard defined before": {
        "/t/a.h": SHARED, "/t/b.h": GUARDED_B,
        "/t/m1.h": "#include \"a.h\"\n", "/t/m2.h": "#define B_H\n#include \"a.h\"\n",
        "/t/m3.h": "#include \"b.h\"\n#include \"a.h\"\n", "/t/m4.h": "#include \"a.h\"\n",
    },
    "a guard defined by a file before": {  # the first recording skipped b.h
        "/t/a.h": SHARED, "/t/b.h": GUARDED_B,
        "/t/m1.h": "#include \"b.h\"\n#include \"a.h\"\n", "/t/m2.h": "#include \"a.h\"\n",
    },
    "a file marked before": {  # the first recording of a.h skipped b.h, which #pragma once had marked
        "/t/a.h": SHARED, "/t/b.h": ONCE_B,
        "/t/m1.h": "#include \"b.h\"\n#include \"a.h\"\n", "/t/m2.h": "#include \"a.h\"\n",
    },
    "a replay inside a recording": {  # a.h recorded b.h's replay, which read X
        "/t/a.h": "#include \"b.h\"\n", "/t/b.h": "#ifdef X\nint bx;\n#endif\n",
        "/t/m1.h": "#include \"b.h\"\n#include \"a.h\"\n", "/t/m2.h": "#define X 1\n#include \"a.h\"\n",
    },
    "#include_next from a file found two ways": {  # <x.h> at /a (index 1), and "x.h" beside y.h
        "/a/x.h": "#include_next <x.h>\n", "/b/x.h": "int b;\n", "/a/y.h": "#include \"x.h\"\n",
        "/t/m1.h": "#include <x.h>\n", "/t/m2.h": "#include <y.h>\n", "/t/m3.h": "#include <x.h>\n",
    },
    "another include path": {  # /a/x.h at index 1 of both, its #include_next finds another file
        "/a/x.h": "#include_next <x.h>\n", "/b/x.h": "int b;\n", "/c/x.h": "int c;\n",
        "/t/m1.h": "#include <x.h>\n", "/t/m2.h": "#include <x.h>\n", "/t/m3.h": "#include <x.h>\n",
    },
    "#pragma once": {
        "/t/a.h": SHARED, "/t/b.h": ONCE_B,
        "/t/m1.h": "#include \"a.h\"\n", "/t/m2.h": "#include \"b.h\"\n#include \"a.h\"\n",
        "/t/m3.h": "#include \"a.h\"\n#include \"b.h\"\n",
    },
    "a redefinition": {
        "/t/a.h": SHARED, "/t/b.h": "int b;\n",
        "/t/m1.h": "#include \"a.h\"\n", "/t/m2.h": "#define Y 2\n#include \"a.h\"\n",
        "/t/m3.h": "#define Y 1\n#include \"a.h\"\n#undef Y\n#include \"a.h\"\n",
    },
    "a computed #include": {
        "/t/a.h": "#include HDR\n", "/t/b.h": "int b;\n", "/t/c.h": "int c;\n",
        "/t/m1.h": "#define HDR \"b.h\"\n#include \"a.h\"\n", "/t/m2.h": "#define HDR \"c.h\"\n#include \"a.h\"\n",
        "/t/m3.h": "#define HDR \"b.h\"\n#include \"a.h\"\n",
    },
    "a file that is not there": {
        "/t/a.h": "#if __has_include(\"c.h\")\nint c;\n#endif\n#include \"b.h\"\n#include \"gone.h\"\n",
        "/t/b.h": "#warning b\n",
        "/t/m1.h": "#include \"a.h\"\n", "/t/m2.h": "#include \"a.h\"\n",
    },
    "the include depth": {  # depth 200 is reached only when the chain starts one deeper
        **{f"/t/c{i}.h": f"#include \"c{i + 1}.h\"\n" for i in range(198)}, "/t/c198.h": "int end;\n",
        "/t/x.h": "#include \"c0.h\"\n",
        "/t/m1.h": "#include \"c0.h\"\n", "/t/m2.h": "#include \"x.h\"\n", "/t/m3.h": "#include \"c0.h\"\n",
    },
    "the number of inclusions": {  # with at most 6 (below), m1 stays below
        "/t/a.h": "#include \"b.h\"\n" * 3, "/t/b.h": "int b;\n",
        "/t/m1.h": "#include \"a.h\"\n", "/t/m2.h": "#include \"b.h\"\n" * 3 + "#include \"a.h\"\n",
        "/t/m3.h": "#include \"a.h\"\n" + "#include \"b.h\"\n" * 3,
    },
}


# include paths other than the usual ["/t", "/a", "/b"], by unit
UNIT_DIRS = {"another include path": {"/t/m2.h": ["/t", "/a", "/c"]}}


def _unit_as_data(unit: cpp.Unit) -> tuple[object, ...]:
    return ([(t.kind, t.text, t.file, t.line, t.col, t.space) for t in unit.tokens],
            sorted((n, m.form, m.file, m.line) for n, m in unit.macros.items()),
            [(r.old.file, r.old.line, r.new.file, r.new.line) for r in unit.redefinitions],
            [d.render() for d in unit.diagnostics], unit.fatal, unit.files, unit.probed,
            [(t.line, name) for t, name in unit.undefined_in_if], [(m.name, m.file, m.line) for m in unit.defines])


@pytest.mark.parametrize("scenario", REPLAY_SCENARIOS)
def test_units_sharing_a_cache_come_out_as_fresh_ones(scenario: str, monkeypatch: pytest.MonkeyPatch) -> None:
    files = REPLAY_SCENARIOS[scenario]
    if scenario == "the number of inclusions":
        monkeypatch.setattr(cpp, "MAX_INCLUSIONS", 6)
    mains = sorted(p for p in files if p.startswith("/t/m"))
    predefined = builtin_macros({"__x86_64__": "1"})

    def dirs(main: str) -> list[str]:
        return UNIT_DIRS.get(scenario, {}).get(main, ["/t", "/a", "/b"])

    with monkeypatch.context() as off:  # fresh: each unit alone, no inclusion replayed even within it
        off.setattr(Preprocessor, "replayable_inclusion", lambda pp, key: None)
        fresh = [_unit_as_data(Preprocessor(LexCache(MemFS(files)), dirs(m), predefined).run(m)) for m in mains]
    replayed: list[str] = []
    replay = Preprocessor.replay_inclusion
    monkeypatch.setattr(Preprocessor, "replay_inclusion",
                        lambda pp, inc, rec: (replayed.append(inc.files[0]), replay(pp, inc, rec)))
    shared = LexCache(MemFS(files))
    again = [_unit_as_data(Preprocessor(shared, dirs(m), predefined).run(m)) for m in mains]
    for main, want, got in zip(mains, fresh, again):
        assert got == want, main
    assert replayed
