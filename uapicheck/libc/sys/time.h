/* uapicheck's minimal <sys/time.h>: struct timeval as glibc lays it out
   (both members 64 bits wide with 64-bit time). */
#ifndef _SYS_TIME_H
#define _SYS_TIME_H 1
#include <sys/types.h>

struct timeval {
	time_t tv_sec;
#ifdef __USE_TIME_BITS64
	long long tv_usec;
#else
	suseconds_t tv_usec;
#endif
};

struct timezone {
	int tz_minuteswest;
	int tz_dsttime;
};

#endif
