/* uapicheck's minimal <sys/types.h>: glibc's types, by their sizes on each
   arch (sizes come from the compiler's predefined macros). */
#ifndef _SYS_TYPES_H
#define _SYS_TYPES_H 1
#include <features.h>
#include <stddef.h>
#include <stdint.h>

typedef __PTRDIFF_TYPE__ ssize_t;
typedef int pid_t;
typedef unsigned int uid_t;
typedef unsigned int gid_t;
typedef unsigned int mode_t;
typedef int key_t;
typedef int clockid_t;
typedef void *timer_t;
typedef char *caddr_t;
typedef int daddr_t;

#if __TIMESIZE == 64 && __SIZEOF_LONG__ == 4
typedef long long time_t; /* x32 */
typedef long long suseconds_t;
#elif defined __USE_TIME_BITS64
typedef long long time_t;
typedef long suseconds_t;
#else
typedef long time_t;
typedef long suseconds_t;
#endif

#if __SIZEOF_LONG__ == 8
typedef long off_t;
typedef long loff_t;
typedef unsigned long ino_t;
typedef unsigned long dev_t;
#elif defined __x86_64__
typedef long long off_t; /* x32 */
typedef long long loff_t;
typedef unsigned long long ino_t;
typedef unsigned long long dev_t;
#else
# ifdef __USE_FILE_OFFSET64
typedef long long off_t;
typedef unsigned long long ino_t;
# else
typedef long off_t;
typedef unsigned long ino_t;
# endif
typedef long long loff_t;
typedef unsigned long long dev_t;
#endif

typedef unsigned char u_char;
typedef unsigned short u_short;
typedef unsigned int u_int;
typedef unsigned long u_long;
typedef long long quad_t;
typedef unsigned long long u_quad_t;
typedef uint8_t u_int8_t;
typedef uint16_t u_int16_t;
typedef uint32_t u_int32_t;
typedef uint64_t u_int64_t;

#endif
