"""The two trees of a diff are built together, and a file that is the same
bytes in both is read once for both (preprocess.cpp's Shared): its tokens
carry one name, which each tree's facts must give back as that tree's own
path. Each tree must answer as it does built alone, on every arch, in one
process and in forked workers, cold and from the cache."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from support.harness import tree
from uapicheck.snapshot import SHARED_MARK, Snapshot, build, build_both

ARCH_NAMES = ["x86_64", "i386"]

# the same in both trees: read through <...> and "...", with a #warning (a
# diagnostic located in it) and a #pragma once file
SAME = {
    "linux/common.h": "#ifndef _COMMON_H\n#define _COMMON_H\n#include <linux/types.h>\n#include \"once.h\"\n"
                      "#define COMMON_SIZE sizeof(struct common)\n#define COMMON_FLAG (ONCE_BASE << 1)\n"
                      "struct common { __u64 a; __u32 b; };\n#endif\n",
    "linux/once.h": "#pragma once\n#define ONCE_BASE 4\n#warning once.h is read\n",
    "linux/user.h": "#ifndef _USER_H\n#define _USER_H\n#include <linux/common.h>\n#include <linux/changed.h>\n"
                    "#define USER_ALL (COMMON_FLAG | CHANGED_FLAG)\n"
                    "#define USER_IOW CHANGED_IOW(1, 2, struct common)\n#define USER_SUB CHANGED_SUB(5, 3)\n"
                    "struct user { struct common c; struct changed d; };\n#endif\n",
}


def changed(value: int, extra: str) -> dict[str, str]:
    """linux/changed.h, which differs between the trees (extra: its other
    macros), and headers that read it."""
    files = {
        "linux/changed.h": f"#ifndef _CHANGED_H\n#define _CHANGED_H\n#include <linux/common.h>\n"
                           f"#define CHANGED_FLAG {value}\n{extra}"
                           "struct changed { struct common c; long l; };\n#endif\n",
    }
    for i in range(8):  # enough headers for a -j run to fork
        files[f"linux/many{i}.h"] = (f"#include <linux/user.h>\n#define MANY{i} (USER_ALL + {i})\n"
                                     f"struct many{i} {{ struct user u; __u8 x[{i + 1}]; }};\n")
    return files


def snapshot_json(snapshot: Snapshot) -> str:
    """The snapshot's JSON, with each type's header (which the JSON keeps once, as the header's path)."""
    files = {a: {h: {n: t.file for n, t in f.types.items()} for h, f in hs.items()}
             for a, hs in snapshot.arches.items()}
    return json.dumps([snapshot.to_json(), files], sort_keys=True)


@pytest.mark.parametrize("jobs", [1, 2])
def test_two_trees_built_together_answer_as_each_alone(tmp_path: Path, jobs: int) -> None:
    # _IOW's parameter renamed (6.12 -> 7.2), which expands alike; a subtraction turned round, which does not
    iow = "#define CHANGED_IOW(t, n, {0}) ((t) << 8 | (n) | sizeof({0}) << 16)\n"
    old = tree(tmp_path / "old", {**SAME, **changed(8, iow.format("size") + "#define CHANGED_SUB(a, b) ((a) - (b))\n")})
    turned = "#define CHANGED_SUB(a, b) ((b) - (a))\n#define CHANGED_NEW 1\n"
    added = {"linux/added.h": "#define A 1\n"}
    new = tree(tmp_path / "new", {**SAME, **changed(16, iow.format("argtype") + turned), **added})
    cache = str(tmp_path / "cache")
    both = build_both(old, new, ARCH_NAMES, jobs=jobs, cache_dir=cache)
    again = build_both(old, new, ARCH_NAMES, jobs=jobs, cache_dir=cache)  # from the cache the first run filled
    for side, source in ((0, old), (1, new)):
        alone = snapshot_json(build(source, ARCH_NAMES))
        assert snapshot_json(both[side]) == alone
        assert snapshot_json(again[side]) == alone
        text = snapshot_json(both[side])
        assert SHARED_MARK not in text
        # each tree's facts name its own files only
        other = (new if side == 0 else old).root
        assert other not in text
    facts = both[1].arches["x86_64"]["linux/user.h"]
    assert facts.macros["USER_ALL"].value == 8 | 16
    assert facts.macros["USER_IOW"].value == (1 << 8 | 2 | 16 << 16)
    assert facts.macros["USER_SUB"].value == -2
    assert both[0].arches["x86_64"]["linux/user.h"].macros["USER_SUB"].value == 2
    assert facts.includes[0].startswith(new.root)
    warnings = [d for d in both[1].arches["x86_64"]["linux/common.h"].diagnostics if "once.h is read" in d.message]
    assert [d.location.file for d in warnings] == [str(tmp_path / "new" / "linux" / "once.h")]
