/* uapicheck's minimal <errno.h>: glibc's error numbers are the kernel's. */
#ifndef _ERRNO_H
#define _ERRNO_H 1
#include <asm/errno.h>
#endif
