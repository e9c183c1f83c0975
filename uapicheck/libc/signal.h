/* uapicheck's minimal <signal.h>: the kernel's signal numbers and types
   (sigset_t, stack_t), which glibc's match on every Linux arch. */
#ifndef _SIGNAL_H
#define _SIGNAL_H 1
#include <sys/types.h>
#include <asm/signal.h>
#endif
