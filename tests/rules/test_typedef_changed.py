"""UA215 typedef-changed: the case it reports and a look-alike it must not."""

from __future__ import annotations

from pathlib import Path

from support.harness import codes, findings, hdr

OLD = hdr('typedef int __kernel_foo_t;\n')
NEW = hdr('typedef unsigned int __kernel_foo_t;\n')


def test_reported(tmp_path: Path) -> None:
    assert findings(tmp_path, OLD, NEW, ('x86_64',), code="UA215") == [
        "new/linux/x.h:4: warning: typedef '__kernel_foo_t' changed from 'int' to 'unsigned int' [UA215]\n"
        'old/linux/x.h:4: note: the old definition was here\n'
        'new/linux/x.h:4: note: who breaks: code that mixes the typedef with its old type',
    ]


def test_not_for_another_typedef_added(tmp_path: Path) -> None:
    assert "UA215" not in codes(tmp_path, hdr('typedef int __kernel_foo_t;\n'), hdr('typedef int __kernel_foo_t;\ntypedef int __kernel_bar_t;\n'), ('x86_64',))
