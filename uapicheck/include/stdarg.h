/* uapicheck's stand-in for the compiler's <stdarg.h>. */
#ifndef _UAPICHECK_STDARG_H
#define _UAPICHECK_STDARG_H
typedef __builtin_va_list va_list;
typedef __builtin_va_list __gnuc_va_list;
#endif
