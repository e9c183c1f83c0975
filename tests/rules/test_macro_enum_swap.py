"""UA106 macro-enum-swap: the case it reports and a look-alike it must not."""

from __future__ import annotations

from pathlib import Path

from support.harness import codes, findings, hdr

OLD = hdr('#define FSCONFIG_SET_FLAG 0\n')
NEW = hdr('enum fsconfig_command { FSCONFIG_SET_FLAG = 0 };\n')


def test_reported(tmp_path: Path) -> None:
    assert findings(tmp_path, OLD, NEW, ('x86_64',), code="UA106") == [
        "new/linux/x.h:4: warning: 'FSCONFIG_SET_FLAG' changed from a macro to an enumerator [UA106]\n"
        "new/linux/x.h:4: note: who breaks: '#ifdef FSCONFIG_SET_FLAG' is now false\n"
        'new/linux/x.h:4: note: fix: keep a macro too: #define FSCONFIG_SET_FLAG FSCONFIG_SET_FLAG',
    ]


def test_not_for_enum_plus_a_macro_of_its_own_name(tmp_path: Path) -> None:
    assert "UA106" not in codes(tmp_path, hdr('#define FSCONFIG_SET_FLAG 0\n'), hdr('enum fsconfig_command { FSCONFIG_SET_FLAG = 0 };\n#define FSCONFIG_SET_FLAG FSCONFIG_SET_FLAG\n'), ('x86_64',))
