/* uapicheck's minimal <netinet/in.h>: not glibc, so the kernel's
   linux/in.h and linux/in6.h define the addresses (linux/libc-compat.h),
   with the layouts glibc's have. */
#ifndef _NETINET_IN_H
#define _NETINET_IN_H 1
#include <sys/socket.h>
#include <linux/in.h>
#include <linux/in6.h>
#endif
