"""The per-header cache: used only while every input is unchanged, never
trusted when damaged, safe to share between runs."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from support.harness import tree
from uapicheck.cache import DATABASE, FORMAT
from uapicheck.snapshot import build


def snap(root: Path, cache: Path) -> dict:
    from uapicheck.sources import InstalledTree
    return build(InstalledTree(str(root)), ["x86_64"], cache_dir=str(cache)).to_json()


def entries(cache: Path) -> dict[str, str]:
    """The rows of cache's database: each header's variants, by key."""
    with closing(sqlite3.connect(cache / DATABASE)) as db:
        return dict(db.execute("SELECT key, body FROM entries"))


def store(cache: Path, key: str, body: str | bytes) -> None:
    with closing(sqlite3.connect(cache / DATABASE)) as db:
        db.execute("UPDATE entries SET body = ? WHERE key = ?", (body, key))
        db.commit()


def test_warm_equals_cold_and_changes_invalidate(tmp_path: Path) -> None:
    root, cache = tmp_path / "t", tmp_path / "cache"
    tree(root, {"linux/a.h": "#include <linux/b.h>\n#define A (B + 1)\n", "linux/b.h": "#define B 1\n"})
    cold = snap(root, cache)
    assert len(entries(cache)) == 3  # linux/a.h, linux/b.h, linux/types.h
    assert snap(root, cache) == cold
    (root / "linux/b.h").write_text("#define B 2\n")  # an include changed
    assert snap(root, cache)["arches"]["x86_64"]["linux/a.h"]["macros"]["A"]["value"] == 3


def test_a_file_that_would_now_be_found_first_invalidates(tmp_path: Path) -> None:
    root, cache = tmp_path / "t", tmp_path / "cache"
    tree(root, {"linux/a.h": "#include \"b.h\"\n#define A B\n", "b.h": "#define B 1\n"})
    (root / "linux/a.h").write_text('#include "b.h"\n#define A B\n')
    # "b.h" is looked for next to linux/a.h first, then found in the root
    assert snap(root, cache)["arches"]["x86_64"]["linux/a.h"]["macros"]["A"]["value"] == 1
    (root / "linux/b.h").write_text("#define B 5\n")
    assert snap(root, cache)["arches"]["x86_64"]["linux/a.h"]["macros"]["A"]["value"] == 5


def test_damaged_entries_are_rebuilt(tmp_path: Path) -> None:
    root, cache = tmp_path / "t", tmp_path / "cache"
    tree(root, {"linux/a.h": "#define A 1\n"})
    cold = snap(root, cache)
    for i, (key, body) in enumerate(entries(cache).items()):
        if i % 3 == 0:
            store(cache, key, "{not json")
        elif i % 3 == 1:
            head, facts = body.split("\n")
            damaged = {k: v for k, v in json.loads(facts).items() if k != "macros"}
            store(cache, key, f"{head}\n{json.dumps(damaged)}")
        else:
            store(cache, key, b"\xff\x00binary")
    assert snap(root, cache) == cold
    assert all(json.loads(body.split("\n")[0])["format"] == FORMAT for body in entries(cache).values())


def test_a_damaged_database_is_started_again(tmp_path: Path) -> None:
    root, cache = tmp_path / "t", tmp_path / "cache"
    tree(root, {"linux/a.h": "#define A 1\n"})
    cold = snap(root, cache)
    from uapicheck.cache import release
    release()
    (cache / DATABASE).write_bytes(b"not a database" * 1000)
    (cache / (DATABASE + "-wal")).unlink(missing_ok=True)
    assert snap(root, cache) == cold
    assert len(entries(cache)) == 2
    release()


def test_two_trees_keep_their_own_variants(tmp_path: Path) -> None:
    a, b, cache = tmp_path / "a", tmp_path / "b", tmp_path / "cache"
    tree(a, {"linux/x.h": "#include <linux/y.h>\n#define X (Y + 1)\n", "linux/y.h": "#define Y 1\n"})
    tree(b, {"linux/x.h": "#include <linux/y.h>\n#define X (Y + 1)\n", "linux/y.h": "#define Y 2\n"})
    first = (snap(a, cache), snap(b, cache))
    from uapicheck.cache import Cache
    calls = []
    real = Cache.put
    Cache.put = lambda self, *args: calls.append(args[0])  # type: ignore[method-assign]
    try:
        assert (snap(a, cache), snap(b, cache)) == first
    finally:
        Cache.put = real  # type: ignore[method-assign]
    assert calls == [], f"re-analysed {calls}"


def test_two_runs_share_one_cache(tmp_path: Path) -> None:
    root, cache = tmp_path / "t", tmp_path / "cache"
    tree(root, {f"linux/h{i}.h": f"#define H{i} {i}\nstruct s{i} {{ int a[{i + 1}]; }};\n" for i in range(40)})
    cmd = [sys.executable, "-m", "uapicheck", "snapshot", str(root), "--arch", "x86_64", "-q"]
    env = {"XDG_CACHE_HOME": str(cache), "PATH": "/usr/bin:/bin"}
    runs = [subprocess.Popen([*cmd, "-o", str(tmp_path / f"out{i}.json")], env=env) for i in range(2)]
    assert [r.wait(timeout=120) for r in runs] == [0, 0]
    first, second = (json.loads((tmp_path / f"out{i}.json").read_text()) for i in range(2))
    assert first == second
    assert not list(cache.rglob(".tmp-*")), "a temporary file was left behind"
    assert snap(root, cache / "uapicheck") == first


def test_jobs_give_the_same_snapshot(tmp_path: Path) -> None:
    from uapicheck.sources import InstalledTree
    root = tmp_path / "t"
    tree(root, {f"linux/h{i}.h": f"#include <linux/types.h>\n#define H{i} {i}\nstruct s{i} {{ __u32 a[{i + 1}]; }};\n"
                 for i in range(20)})
    one = build(InstalledTree(str(root)), ["x86_64", "i386"]).to_json()
    two = build(InstalledTree(str(root)), ["x86_64", "i386"], jobs=2).to_json()
    assert one == two and len(one["arches"]["i386"]) == 21


def test_jobs_write_the_same_bytes(tmp_path: Path) -> None:
    """A -j run's snapshot is written from the text its workers sent."""
    import io

    from uapicheck.snapshot import build_written, write
    from uapicheck.sources import InstalledTree
    root = tmp_path / "t"
    tree(root, {f"linux/h{i}.h": f"#include <linux/types.h>\n#define H{i} (1 << {i})\n"
                 f"struct s{i} {{ __u64 a; __u32 b[{i + 1}]; }};\nenum e{i} {{ E{i} = {i} }};\n" for i in range(20)}
         | {"linux/bad.h": "#warning read me\nstruct bad { __u8 a : 9; };\n"})
    written = []
    diagnostics = []
    # serial, with no cache and with one; forked, with none, then filling the
    # cache (the workers send the JSON made for it), then reading it
    cache = str(tmp_path / "cache")
    for jobs, folder in ((1, None), (1, str(tmp_path / "serial")), (2, None), (2, cache), (2, cache)):
        snap = build_written(InstalledTree(str(root)), ["x86_64", "i386"], jobs=jobs, cache_dir=folder)
        out = io.StringIO()
        write(snap, out)
        written.append(out.getvalue())
        diagnostics.append(snap.diagnostics())
    assert len(set(written)) == 1
    assert len(entries(tmp_path / "cache")) == 46  # 22 headers on 2 arches, and what the C library defines on each
    # what is written is what the facts say, and so are the diagnostics, however they were read
    facts = build(InstalledTree(str(root)), ["x86_64", "i386"])
    assert json.loads(written[0]) == facts.to_json()
    assert len(facts.diagnostics()) == 2 and all(d == facts.diagnostics() for d in diagnostics)


def test_diagnostics_are_read_from_the_start_of_the_text(tmp_path: Path) -> None:
    """A -j snapshot's parent reads only the diagnostics of what its workers
    send: they come first in the text; a text written otherwise is refused."""
    from uapicheck.facts import HeaderFacts
    from uapicheck.sources import InstalledTree
    tree(tmp_path, {"linux/bad.h": "#warning read me\nstruct bad { __u8 a : 9; };\n#define X \"[]}\"\n"})
    facts = build(InstalledTree(str(tmp_path)), ["x86_64"]).arches["x86_64"]["linux/bad.h"]
    text = facts.to_text()
    assert len(facts.diagnostics) == 2 and HeaderFacts.diagnostics_of(text) == facts.diagnostics
    with pytest.raises(ValueError):
        HeaderFacts.diagnostics_of(json.dumps(facts.to_json(), indent=1))


def test_parsed_rule_data_is_kept_by_its_text(tmp_path: Path, monkeypatch) -> None:
    """The TOML files uapicheck ships are parsed once and kept as JSON, found
    by their text; a damaged copy is parsed again and rewritten."""
    import tomllib
    from importlib import resources

    from uapicheck import packaged
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    text = resources.files("uapicheck").joinpath("ruledata", "libc-names.toml").read_text(encoding="utf-8")
    expected = tomllib.loads(text)
    assert packaged.toml("rules/libc-names.toml", "ruledata", "libc-names.toml") == expected
    kept = list((tmp_path / "uapicheck" / "data").glob("*.json"))
    assert len(kept) == 1 and json.loads(kept[0].read_text()) == expected
    assert packaged.toml("rules/libc-names.toml", "ruledata", "libc-names.toml") == expected
    kept[0].write_text('{"read": "from the kept copy"}')  # what is kept is what is read
    assert packaged.toml("rules/libc-names.toml", "ruledata", "libc-names.toml") == {"read": "from the kept copy"}
    kept[0].write_text("{damaged")
    assert packaged.toml("rules/libc-names.toml", "ruledata", "libc-names.toml") == expected
    assert json.loads(kept[0].read_text()) == expected


def test_marks_are_kept_per_question_and_damaged_ones_forgotten(tmp_path: Path) -> None:
    from uapicheck.cache import Marks
    marks = Marks(str(tmp_path), "defines a family member: A")
    marks.known["0123 installed"] = True
    marks.save()
    assert Marks(str(tmp_path), "defines a family member: A").known == {"0123 installed": True}
    assert Marks(str(tmp_path), "defines a family member: B").known == {}
    for kept in tmp_path.rglob("*.json"):
        kept.write_text('{"format": "uapicheck-cache/2", "marks": [1')
    assert Marks(str(tmp_path), "defines a family member: A").known == {}


def test_jobs_read_what_the_cache_has_and_fork_for_the_rest(tmp_path: Path, monkeypatch) -> None:
    """With -j, cached headers are read in the parent; those the cache lacks
    (here: the ten that include a changed file, and that file) go to workers."""
    from uapicheck import snapshot
    from uapicheck.sources import InstalledTree
    root, cache = tmp_path / "t", tmp_path / "cache"
    tree(root, {f"linux/h{i}.h": (f"#include <linux/mine.h>\nstruct s{i} {{ mine_t a[{i + 1}]; }};\n" if i % 2 else
                                  f"#define H{i} {i}\n") for i in range(20)} | {"linux/mine.h": "typedef int mine_t;\n"})
    build(InstalledTree(str(root)), ["x86_64", "i386"], cache_dir=str(cache), jobs=2)
    (root / "linux/mine.h").write_text("typedef long long mine_t;\n")
    forked: list[str] = []  # the tasks sized for the workers, in the parent
    size = snapshot._size
    monkeypatch.setattr(snapshot, "_size", lambda source, path: forked.append(path) or size(source, path))
    warm = build(InstalledTree(str(root)), ["x86_64", "i386"], cache_dir=str(cache), jobs=2).to_json()
    assert len(forked) == 11
    assert warm == build(InstalledTree(str(root)), ["x86_64", "i386"]).to_json()
    assert warm["arches"]["i386"]["linux/h1.h"]["types"]["struct s1"]["size"] == 16


def test_facts_read_back_equal_those_written_and_equal_ones_are_shared(tmp_path: Path) -> None:
    """What the cache and -j workers send is read back as the same facts;
    a macro or member with the same facts on two arches is one object."""
    from uapicheck.facts import HeaderFacts
    from uapicheck.sources import InstalledTree
    root = tmp_path / "t"
    tree(root, {"linux/a.h": "#include <linux/types.h>\n#define A (B + 1)\n#define F(x) ((x) << 2)\n"
                "#define S sizeof(struct s)\n#define U (unknown_name + 1)\n#define L ((int)sizeof(long))\n"
                "struct s { __u32 a : 3, : 0; union { __u64 b; char c[3]; }; long d; };\n"
                "enum e { E0, E1 = 5 };\ntypedef struct s s_t;\n"})
    snap = build(InstalledTree(str(root)), ["x86_64", "i386"])
    for arch, headers in snap.arches.items():
        for name, facts in headers.items():
            back = HeaderFacts.from_json(json.loads(json.dumps(facts.to_json())))  # col is not kept
            assert back.to_json() == facts.to_json() and HeaderFacts.from_json(back.to_json()) == back, (arch, name)
    read = {arch: HeaderFacts.from_json(headers["linux/a.h"].to_json()) for arch, headers in snap.arches.items()}
    a, b = read["x86_64"], read["i386"]
    assert a.macros["F"] is b.macros["F"] and a.macros["L"] is not b.macros["L"]  # only the value differs: 8, 4
    assert a.types["struct s"].members[0] is b.types["struct s"].members[0]
    assert a.macros["U"].undefined == ["unknown_name"]


def test_paths_are_stored_relative_to_the_tree_and_read_back_as_they_were(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from uapicheck.arches import ARCHES
    from uapicheck.cache import Cache
    from uapicheck.sources import InstalledTree, builtin_include_dir

    root = tmp_path / "t"
    tree(root, {"linux/a.h": "#define A 1\n"})
    cache = Cache(str(tmp_path / "cache"), InstalledTree(str(root)), "x86_64", ARCHES["x86_64"].predefined(), "s",
                  [str(root)], "")
    inside = [f"{root}/linux/a.h", f"{root}/asm-generic/x.h", f"{builtin_include_dir()}/stddef.h"]
    outside = ["/usr/include/stdio.h", f"{root}-other/linux/a.h", f"{tmp_path}/x.h"]
    for path in inside + outside:
        assert cache._abs(cache._rel(path)) == path
    assert [cache._rel(p) for p in inside[:2]] == ["linux/a.h", "asm-generic/x.h"]
    for rel in ["linux/../a.h", "./a.h", "a//b.h", "linux/", ".hidden/a.h", "../t/linux/a.h"]:  # as relpath would
        assert cache._abs(rel) == os.path.normpath(os.path.join(root, rel)), rel
    monkeypatch.chdir(root)  # a git tree's root is "."
    here = Cache(str(tmp_path / "cache"), InstalledTree("."), "x86_64", ARCHES["x86_64"].predefined(), "s", ["."], "")
    for path in ["linux/a.h", "asm-generic/x.h", "/usr/include/stdio.h", "../x.h"]:
        assert here._rel(path) == path and here._abs(here._rel(path)) == path


def test_a_copy_of_the_tree_elsewhere_reads_the_entries_back_with_its_own_paths(tmp_path: Path,
                                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Facts are stored with the tree's root marked, so a copy of the tree
    uses them, naming its own files; a header whose text spells the mark is
    analysed each time instead."""
    from uapicheck.cache import Cache
    from uapicheck.sources import InstalledTree
    files = {"linux/a.h": "#include <linux/b.h>\n#define A (B + 1)\n#include <linux/missing.h>\n",
             "linux/b.h": "#define B 1\nstruct b { char c; int i; };\n",
             "linux/m.h": "#define M <root>/linux/m.h\n"}
    a, b, cache = tmp_path / "a", tmp_path / "b", tmp_path / "cache"
    tree(a, files)
    tree(b, files)
    snap(a, cache)
    stored = "".join(entries(cache).values())
    assert f'"{a}/' not in stored and '"<root>/linux/a.h"' in stored
    put = Cache.put
    analysed: list[str] = []
    monkeypatch.setattr(Cache, "put", lambda self, path, *args: analysed.append(path) or put(self, path, *args))
    moved = snap(b, cache)
    assert analysed == [f"{b}/linux/m.h"]
    assert moved == build(InstalledTree(str(b)), ["x86_64"]).to_json()
    assert moved["arches"]["x86_64"]["linux/a.h"]["diagnostics"][0]["file"] == f"{b}/linux/a.h"
    assert f'"{a}/' not in json.dumps(moved)


def test_trees_that_spell_their_root_differently_read_their_own_paths(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A tree named '.', one named with '//', and a copy elsewhere share one
    cache; each reads back what a run without it gives. A header whose text
    spells the tree's own folder is not stored (its copy would read the other's)."""
    from uapicheck.sources import InstalledTree
    a, b = tmp_path / "a", tmp_path / "b"
    files = {"linux/a.h": "#include <linux/b.h>\n#define A (B + 1)\n#include <linux/missing.h>\n",
             "linux/b.h": "#define B 1\n", "linux/p.h": f'#define P "{a}/linux/p.h"\n'}
    tree(a, files)
    tree(b, files)
    cache = tmp_path / "cache"

    def run(root: str) -> dict:
        return build(InstalledTree(root), ["x86_64"], cache_dir=str(cache)).to_json()

    monkeypatch.chdir(a)
    for root in [str(a), ".", f"{tmp_path}//a", str(b), ".", str(a)]:
        assert run(root) == build(InstalledTree(root), ["x86_64"]).to_json(), root
    assert not any(f"{a}/linux/p.h" in body.split("\n")[0] for body in entries(cache).values())


def test_a_database_damaged_in_use_is_started_again_and_a_locked_one_not_waited_for(tmp_path: Path) -> None:
    from uapicheck.cache import release
    root, cache = tmp_path / "t", tmp_path / "cache"
    tree(root, {f"linux/h{i}.h": f"#define H{i} {i}\n" + "/* padding */\n" * 200 for i in range(60)})
    cold = snap(root, cache)
    release()
    with open(cache / DATABASE, "r+b") as f:  # the header page stays: the database opens, its rows do not read
        f.seek(4096 * 2)
        f.write(b"\xa5" * 4096 * 20)
    assert snap(root, cache) == cold
    assert snap(root, cache) == cold and len(entries(cache)) == 61
    release()
    (cache / DATABASE).unlink()
    with closing(sqlite3.connect(cache / DATABASE, isolation_level=None)) as other:
        other.execute("PRAGMA journal_mode = WAL")
        other.execute("CREATE TABLE entries (key TEXT PRIMARY KEY, body TEXT NOT NULL)")
        other.execute("BEGIN IMMEDIATE")  # another run, stopped in the middle of a write
        assert snap(root, cache) == cold
    release()


def test_another_c_library_is_another_entry(tmp_path: Path) -> None:
    """A header read after the C library's headers (pid_t from sys/types.h)
    is kept per C library: --libc none after the machine's, then the
    machine's again, each gives what a run without the cache gives."""
    from uapicheck.sources import MINIMAL, InstalledTree, Libc
    root, cache = tmp_path / "t", tmp_path / "cache"
    tree(root, {"linux/a.h": "struct a { int x; pid_t n; };\n"})
    for libc in [Libc(), Libc(MINIMAL), Libc()]:
        facts = build(InstalledTree(str(root), libc=libc), ["x86_64"], cache_dir=str(cache)).to_json()
        assert facts == build(InstalledTree(str(root), libc=libc), ["x86_64"]).to_json()
        assert facts["arches"]["x86_64"]["linux/a.h"]["prelude"] == ["sys/types.h"]


def test_what_the_c_library_defines_is_read_once_per_arch_and_kept(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Which C library header defines each name (read when a header lacks
    one) is kept beside the entries: a later run, or the other -j worker,
    that analyses a header lacking a name reads it instead of the headers."""
    from uapicheck.preprocess.cpp import Preprocessor
    from uapicheck.program import PROGRAM_HEADERS
    from uapicheck.sources import InstalledTree
    root, cache = tmp_path / "t", tmp_path / "cache"
    tree(root, {"linux/a.h": "struct a { int x; pid_t n; };\n"})
    read: list[str] = []
    run_header = Preprocessor.run_header
    monkeypatch.setattr(Preprocessor, "run_header", lambda self, name: read.append(name) or run_header(self, name))
    first = build(InstalledTree(str(root)), ["x86_64", "i386"], cache_dir=str(cache)).to_json()
    assert len(read) == 2 * len(PROGRAM_HEADERS)  # every one, on each arch
    (root / "linux/b.h").write_text("struct b { size_t n; };\n")
    read.clear()
    second = build(InstalledTree(str(root)), ["x86_64", "i386"], cache_dir=str(cache)).to_json()
    assert read == []
    assert second == build(InstalledTree(str(root)), ["x86_64", "i386"]).to_json()
    assert second["arches"]["i386"]["linux/a.h"] == first["arches"]["i386"]["linux/a.h"]
    assert second["arches"]["i386"]["linux/b.h"]["prelude"] == ["stddef.h"]
