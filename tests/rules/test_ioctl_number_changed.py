"""UA401 ioctl-number-changed: the case it reports and a look-alike it must not."""

from __future__ import annotations

from pathlib import Path

from support.harness import IOCTL, codes, findings, hdr

OLD = {"linux/ioctl.h": IOCTL, **hdr("#include <linux/ioctl.h>\nstruct fsxattr { __u32 a[7]; };\n#define FS_IOC_FSGETXATTR _IOR('X', 31, struct fsxattr)\n")}
NEW = {"linux/ioctl.h": IOCTL, **hdr("#include <linux/ioctl.h>\nstruct fsxattr { __u32 a[8]; };\n#define FS_IOC_FSGETXATTR _IOR('X', 31, struct fsxattr)\n")}


def test_reported(tmp_path: Path) -> None:
    assert findings(tmp_path, OLD, NEW, ('x86_64',), code="UA401") == [
        "new/linux/x.h:6:9: error: ioctl 'FS_IOC_FSGETXATTR' changed from 0x801c581f to 0x8020581f: sizeof(struct fsxattr) changed from 28 to 32 bytes [UA401]\n"
        'old/linux/x.h:6:9: note: the old definition was here\n'
        'new/linux/x.h:6:9: note: who breaks: binaries built with the old number get ENOTTY or the wrong layout\n'
        'new/linux/x.h:6:9: note: fix: keep the layout of struct fsxattr; give a new struct a new ioctl number',
    ]


def test_not_for_the_number_changed_not_the_size(tmp_path: Path) -> None:
    assert "UA401" not in codes(tmp_path, {"linux/ioctl.h": IOCTL, **hdr("#include <linux/ioctl.h>\nstruct fsxattr { __u32 a[7]; };\n#define FS_IOC_FSGETXATTR _IOR('X', 31, struct fsxattr)\n")}, {"linux/ioctl.h": IOCTL, **hdr("#include <linux/ioctl.h>\nstruct fsxattr { __u32 a[7]; };\n#define FS_IOC_FSGETXATTR _IOR('X', 32, struct fsxattr)\n")}, ('x86_64',))


def test_a_changed_direction_is_named(tmp_path: Path) -> None:
    """Linux 6.14's NTSYNC_IOC_CREATE_SEM: _IOWR with 12 bytes to _IOW with 8."""
    ioctl = (IOCTL + "#define _IOW(type, nr, T) _IOC(1U, (type), (nr), sizeof(T))\n"
             "#define _IOWR(type, nr, T) _IOC(3U, (type), (nr), sizeof(T))\n")
    old = {"linux/ioctl.h": ioctl, **hdr("#include <linux/ioctl.h>\nstruct sem_args { __u32 sem, count, max; };\n"
                                         "#define CREATE_SEM _IOWR('N', 0x80, struct sem_args)\n")}
    new = {"linux/ioctl.h": ioctl, **hdr("#include <linux/ioctl.h>\nstruct sem_args { __u32 count, max; };\n"
                                         "#define CREATE_SEM _IOW('N', 0x80, struct sem_args)\n")}
    assert findings(tmp_path, old, new, ('x86_64',), code="UA401")[0].splitlines()[0] == (
        "new/linux/x.h:6:9: error: ioctl 'CREATE_SEM' changed from 0xc00c4e80 to 0x40084e80: sizeof(struct sem_args) "
        "changed from 12 to 8 bytes, and its direction from _IOWR to _IOW [UA401]")
