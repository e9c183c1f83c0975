/* uapicheck's stand-in for the compiler's <stddef.h>. */
#ifndef _UAPICHECK_STDDEF_H
#define _UAPICHECK_STDDEF_H
typedef __SIZE_TYPE__ size_t;
typedef __PTRDIFF_TYPE__ ptrdiff_t;
typedef __WCHAR_TYPE__ wchar_t;
#define NULL ((void *)0)
#define offsetof(TYPE, MEMBER) __builtin_offsetof(TYPE, MEMBER)
#endif
