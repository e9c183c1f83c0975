"""Kernel headers for scratch kernel trees."""

MOUNT = """#ifndef _UAPI_LINUX_MOUNT_H
#define _UAPI_LINUX_MOUNT_H
#include <linux/types.h>
#define OPEN_TREE_CLONE {clone}
{extra}
struct mount_attr {{
	__u64 attr_set;
	__u64 attr_clr;
	__u64 propagation;
	__u64 userns_fd;
}};
#endif
"""
