"""UA111 identifier-not-in-user-space: the case it reports (a macro that
uses, or through another macro depends on, a kernel-only identifier) and
look-alikes it must not (UAPI spellings, and names another header defines)."""

from __future__ import annotations

from pathlib import Path

from support.harness import codes, findings, hdr

OLD = hdr('#define ACT(a) ((a) << 16)\n#define TA_QUEUE (1 | ACT(2))\n')
NEW = hdr('#define ACT(a) ((u64)(a) << 16)\n#define TA_QUEUE (1 | ACT(2))\n')


def test_reported(tmp_path: Path) -> None:
    assert findings(tmp_path, OLD, NEW, ("x86_64",), code="UA111") == [
        "new/linux/x.h:4:9: error: macro 'ACT(a)' uses 'u64', which user space does not have: every use fails to "
        "compile ('u64' is not a type in user space) [UA111]\n"
        "old/linux/x.h:4:9: note: the old definition was here\n"
        "new/linux/x.h:4:9: note: who breaks: every program that uses 'ACT'\n"
        "new/linux/x.h:4:9: note: fix: use the UAPI spelling: '__u64' for 'u64'",
        "new/linux/x.h:5:9: error: macro 'TA_QUEUE' now depends on 'u64' (through 'ACT'), which user space does not "
        "have: every use fails to compile ('u64' is not a type in user space) [UA111]\n"
        "old/linux/x.h:5:9: note: the old definition was here\n"
        "new/linux/x.h:5:9: note: who breaks: every program that uses 'TA_QUEUE'\n"
        "new/linux/x.h:5:9: note: fix: use the UAPI spelling: '__u64' for 'u64'",
    ]


def test_the_dependent_macro_is_no_other_finding(tmp_path: Path) -> None:
    found = codes(tmp_path, OLD, NEW)
    assert "UA109" not in found and "UA103" not in found  # claimed: no parser wording, no respelling warning


def test_not_for_uapi_spellings_and_names_of_other_headers(tmp_path: Path) -> None:
    other = {"linux/other.h": "#define HELPER(x) ((x) + 1)\ntypedef unsigned int other_t;\n"}
    new = hdr('#define ACT(a) ((__u64)(a) << 16)\n#define USE(x) HELPER((other_t)(x))\n')
    assert "UA111" not in codes(tmp_path, {**hdr('#define ACT(a) ((a) << 16)\n'), **other}, {**new, **other})


def test_a_new_macro_that_cannot_compile_is_a_warning(tmp_path: Path) -> None:
    """No program uses a macro the new headers add: nothing breaks yet
    (psci.h's PSCI_1_3_OFF_TYPE_HIBERNATE_OFF BIT(0) in Linux 7.2)."""
    old = hdr('#define ACT(a) ((u64)(a) << 16)\n')
    new = hdr('#define ACT(a) ((u64)(a) << 16)\n#define OFF_TYPE BIT(0)\n#define TA_ZONE ACT(3)\n')
    assert findings(tmp_path, old, new, ("x86_64",), code="UA111") == [
        "new/linux/x.h:5:9: warning: new macro 'OFF_TYPE' uses 'BIT', which user space does not have: every use "
        "fails to compile ('BIT' is not a function or macro in user space) [UA111]\n"
        "new/linux/x.h:5:9: note: who breaks: no program yet; the first to use 'OFF_TYPE' will not build\n"
        "new/linux/x.h:5:9: note: fix: use the UAPI spelling: '_BITUL' for 'BIT'",
        "new/linux/x.h:6:9: warning: new macro 'TA_ZONE' depends on 'u64' (through 'ACT'), which user space does "
        "not have: every use fails to compile ('u64' is not a type in user space) [UA111]\n"
        "new/linux/x.h:6:9: note: who breaks: no program yet; the first to use 'TA_ZONE' will not build\n"
        "new/linux/x.h:6:9: note: fix: use the UAPI spelling: '__u64' for 'u64'",
    ]
