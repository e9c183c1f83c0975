/* uapicheck's minimal <string.h>: a UAPI header includes it for a function
   or two; only its types matter here. */
#ifndef _STRING_H
#define _STRING_H 1
#include <stddef.h>
#endif
