/* uapicheck's minimal C library, for arches with no C library at hand: what
   glibc's <features.h> decides that UAPI headers and the types below depend
   on. Not glibc: __GLIBC__ stays undefined, so linux/libc-compat.h lets the
   kernel headers define what glibc's <netinet/in.h> would. */
#ifndef _FEATURES_H
#define _FEATURES_H 1

/* time_t is 32 bits where long is, except on x32 */
#if __SIZEOF_LONG__ == 4 && !(defined __x86_64__ && defined __ILP32__)
# define __TIMESIZE 32
#else
# define __TIMESIZE 64
#endif

/* glibc 2.34 and later: -D_TIME_BITS=64, with -D_FILE_OFFSET_BITS=64 */
#if defined _FILE_OFFSET_BITS && _FILE_OFFSET_BITS == 64 && __SIZEOF_LONG__ == 4
# define __USE_FILE_OFFSET64 1
#endif
#if defined _TIME_BITS && _TIME_BITS == 64 && __TIMESIZE == 32
# ifndef __USE_FILE_OFFSET64
#  error "_TIME_BITS=64 is allowed only with _FILE_OFFSET_BITS=64"
# endif
# define __USE_TIME_BITS64 1
#endif

#endif
