/* uapicheck's minimal <sys/ioctl.h>: as glibc's, the kernel's ioctl
   numbers (asm/ioctls.h, which brings _IO, _IOR, _IOW, _IOWR) and the
   socket ioctls of linux/sockios.h. */
#ifndef _SYS_IOCTL_H
#define _SYS_IOCTL_H 1
#include <features.h>
#include <asm/ioctls.h>
#include <linux/sockios.h>
#endif
