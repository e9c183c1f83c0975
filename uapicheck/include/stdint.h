/* uapicheck's stand-in for the compiler's <stdint.h>: the C library's when
   there is one, else the types the compiler predefines. */
#if __has_include_next(<stdint.h>)
#include_next <stdint.h>
#elif !defined(_UAPICHECK_STDINT_H)
#define _UAPICHECK_STDINT_H
typedef __INT8_TYPE__ int8_t;
typedef __INT16_TYPE__ int16_t;
typedef __INT32_TYPE__ int32_t;
typedef __INT64_TYPE__ int64_t;
typedef __UINT8_TYPE__ uint8_t;
typedef __UINT16_TYPE__ uint16_t;
typedef __UINT32_TYPE__ uint32_t;
typedef __UINT64_TYPE__ uint64_t;
typedef __INTPTR_TYPE__ intptr_t;
typedef __UINTPTR_TYPE__ uintptr_t;
#endif
