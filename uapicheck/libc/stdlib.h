/* uapicheck's minimal <stdlib.h>: a UAPI header includes it for a function
   or two; only its types matter here. */
#ifndef _STDLIB_H
#define _STDLIB_H 1
#include <stddef.h>
#endif
