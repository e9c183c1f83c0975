"""The Linux 7.0 cases as small headers, modelled on the facts in
shared/UAPI-FACTS.md."""

TYPES = """#ifndef _LINUX_TYPES_H
#define _LINUX_TYPES_H
typedef unsigned char __u8;
typedef unsigned short __u16;
typedef unsigned int __u32;
typedef unsigned long long __u64;
#define __aligned_u64 __u64 __attribute__((aligned(8)))
#endif
"""

MOUNT_OLD = """#ifndef _LINUX_MOUNT_H
#define _LINUX_MOUNT_H
#define OPEN_TREE_CLONE 1
#define OPEN_TREE_CLOEXEC O_CLOEXEC
#endif
"""
MOUNT_NEW = MOUNT_OLD.replace("#define OPEN_TREE_CLONE 1", "#define OPEN_TREE_CLONE (1 << 0)\n"
                              "#define OPEN_TREE_NAMESPACE (1 << 1)")

RSEQ = """#ifndef _LINUX_RSEQ_H
#define _LINUX_RSEQ_H
#include <linux/types.h>
struct rseq_slice_ctrl {
	union {
		__u32 all;
		struct {
			__u8 request;
			__u8 granted;
			__u16 __reserved;
		};
	};
};
struct rseq {
	__u32 cpu_id_start;
	__u32 cpu_id;
	__u64 rseq_cs;
	__u32 flags;
	__u32 node_id;
	__u32 mm_cid;
	struct rseq_slice_ctrl slice_ctrl;
	__u8 __reserved;
	char end[];
} __attribute__((aligned(ALIGN)));
#endif
"""

FS = """#ifndef _LINUX_FS_H
#define _LINUX_FS_H
#include <linux/types.h>
struct file_attr {
	__u64 fa_xflags;
	__u32 fa_extsize;
	__u32 fa_nextents;
	__u32 fa_projid;
	__u32 fa_cowextsize;
};
#define FILE_ATTR_SIZE_VER0 24
#define FILE_ATTR_SIZE_LATEST FILE_ATTR_SIZE_VER0
#define FS_XFLAG_CASEFOLD 0x00040000
#endif
"""
