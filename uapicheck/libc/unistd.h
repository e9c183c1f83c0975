/* uapicheck's minimal <unistd.h>: its types. */
#ifndef _UNISTD_H
#define _UNISTD_H 1
#include <sys/types.h>
#endif
