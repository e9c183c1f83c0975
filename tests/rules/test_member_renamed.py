"""UA207 member-renamed: the case it reports and a look-alike it must not."""

from __future__ import annotations

from pathlib import Path

from support.harness import codes, findings, hdr

OLD = hdr('struct foo { __u32 a; __u32 flags; };\n')
NEW = hdr('struct foo { __u32 a; __u32 fa_flags; };\n')


def test_reported(tmp_path: Path) -> None:
    assert findings(tmp_path, OLD, NEW, ('x86_64',), code="UA207") == [
        "new/linux/x.h:4: error: member 'struct foo.flags' renamed to 'fa_flags' [UA207]\n"
        'old/linux/x.h:4: note: the old definition was here\n'
        "new/linux/x.h:4: note: who breaks: source code that uses 'flags' no longer compiles\n"
        "new/linux/x.h:4: note: fix: keep 'flags' too, in an anonymous union with 'fa_flags'",
    ]


def test_not_for_the_old_name_kept_in_a_union(tmp_path: Path) -> None:
    assert "UA207" not in codes(tmp_path, hdr('struct foo { __u32 a; __u32 flags; };\n'), hdr('struct foo { __u32 a; union { __u32 flags; __u32 fa_flags; }; };\n'), ('x86_64',))
