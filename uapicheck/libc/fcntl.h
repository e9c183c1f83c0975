/* uapicheck's minimal <fcntl.h>: the kernel's O_* and F_* values per arch,
   which glibc's equal. */
#ifndef _FCNTL_H
#define _FCNTL_H 1
#include <sys/types.h>
#include <asm/fcntl.h>
#endif
