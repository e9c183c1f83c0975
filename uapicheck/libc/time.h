/* uapicheck's minimal <time.h>: struct timespec as glibc lays it out. With
   64-bit time on a 32-bit arch, tv_nsec stays a long, padded to 8 bytes on
   the side the byte order puts its high half. */
#ifndef _TIME_H
#define _TIME_H 1
#include <sys/types.h>

struct timespec {
	time_t tv_sec;
#if defined __USE_TIME_BITS64 && __SIZEOF_LONG__ == 4 && !defined __x86_64__
# if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	int : 32;
	long tv_nsec;
# else
	long tv_nsec;
	int : 32;
# endif
#elif __SIZEOF_LONG__ == 4 && defined __x86_64__
	long long tv_nsec; /* x32 */
#else
	long tv_nsec;
#endif
};

struct itimerspec {
	struct timespec it_interval;
	struct timespec it_value;
};

#endif
