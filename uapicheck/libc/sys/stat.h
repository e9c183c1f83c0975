/* uapicheck's minimal <sys/stat.h>: the file type and mode bits, as
   linux/stat.h gives them to a C library that is not glibc. */
#ifndef _SYS_STAT_H
#define _SYS_STAT_H 1
#include <sys/types.h>
#include <linux/stat.h>
#endif
