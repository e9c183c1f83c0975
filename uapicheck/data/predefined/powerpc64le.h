/* powerpc64le-linux-gnu-gcc -std=gnu17 -dM -E, filtered by scripts/capture-predefined */
#define _ARCH_PPC 1
#define _ARCH_PPC64 1
#define _ARCH_PPCGR 1
#define _ARCH_PPCSQ 1
#define _ARCH_PWR4 1
#define _ARCH_PWR5 1
#define _ARCH_PWR5X 1
#define _ARCH_PWR6 1
#define _ARCH_PWR7 1
#define _ARCH_PWR8 1
#define _Bool _Bool
#define _CALL_ELF 2
#define _CALL_LINUX 1
#define _LITTLE_ENDIAN 1
#define _LP64 1
#define _STDC_PREDEF_H 1
#define __ALTIVEC__ 1
#define __APPLE_ALTIVEC__ 1
#define __ATOMIC_ACQUIRE 2
#define __ATOMIC_ACQ_REL 4
#define __ATOMIC_CONSUME 1
#define __ATOMIC_RELAXED 0
#define __ATOMIC_RELEASE 3
#define __ATOMIC_SEQ_CST 5
#define __BIGGEST_ALIGNMENT__ 16
#define __BUILTIN_CPU_SUPPORTS__ 1
#define __BYTE_ORDER__ __ORDER_LITTLE_ENDIAN__
#define __CHAR16_TYPE__ short unsigned int
#define __CHAR32_TYPE__ unsigned int
#define __CHAR_BIT__ 8
#define __CHAR_UNSIGNED__ 1
#define __CMODEL_MEDIUM__ 1
#define __CRYPTO__ 1
#define __ELF__ 1
#define __FLOAT128_TYPE__ 1
#define __FLOAT128__ 1
#define __FLOAT_WORD_ORDER__ __ORDER_LITTLE_ENDIAN__
#define __GNUC_EXECUTION_CHARSET_NAME "UTF-8"
#define __GNUC_MINOR__ 2
#define __GNUC_PATCHLEVEL__ 0
#define __GNUC_STDC_INLINE__ 1
#define __GNUC_WIDE_EXECUTION_CHARSET_NAME "UTF-32LE"
#define __GNUC__ 12
#define __HAVE_BSWAP__ 1
#define __INT16_C(c) c
#define __INT16_MAX__ 0x7fff
#define __INT16_TYPE__ short int
#define __INT32_C(c) c
#define __INT32_MAX__ 0x7fffffff
#define __INT32_TYPE__ int
#define __INT64_C(c) c ## L
#define __INT64_MAX__ 0x7fffffffffffffffL
#define __INT64_TYPE__ long int
#define __INT8_C(c) c
#define __INT8_MAX__ 0x7f
#define __INT8_TYPE__ signed char
#define __INTMAX_C(c) c ## L
#define __INTMAX_MAX__ 0x7fffffffffffffffL
#define __INTMAX_TYPE__ long int
#define __INTMAX_WIDTH__ 64
#define __INTPTR_MAX__ 0x7fffffffffffffffL
#define __INTPTR_TYPE__ long int
#define __INTPTR_WIDTH__ 64
#define __INT_FAST16_MAX__ 0x7fffffffffffffffL
#define __INT_FAST16_TYPE__ long int
#define __INT_FAST16_WIDTH__ 64
#define __INT_FAST32_MAX__ 0x7fffffffffffffffL
#define __INT_FAST32_TYPE__ long int
#define __INT_FAST32_WIDTH__ 64
#define __INT_FAST64_MAX__ 0x7fffffffffffffffL
#define __INT_FAST64_TYPE__ long int
#define __INT_FAST64_WIDTH__ 64
#define __INT_FAST8_MAX__ 0x7f
#define __INT_FAST8_TYPE__ signed char
#define __INT_FAST8_WIDTH__ 8
#define __INT_LEAST16_MAX__ 0x7fff
#define __INT_LEAST16_TYPE__ short int
#define __INT_LEAST16_WIDTH__ 16
#define __INT_LEAST32_MAX__ 0x7fffffff
#define __INT_LEAST32_TYPE__ int
#define __INT_LEAST32_WIDTH__ 32
#define __INT_LEAST64_MAX__ 0x7fffffffffffffffL
#define __INT_LEAST64_TYPE__ long int
#define __INT_LEAST64_WIDTH__ 64
#define __INT_LEAST8_MAX__ 0x7f
#define __INT_LEAST8_TYPE__ signed char
#define __INT_LEAST8_WIDTH__ 8
#define __INT_MAX__ 0x7fffffff
#define __INT_WIDTH__ 32
#define __LITTLE_ENDIAN__ 1
#define __LONGDOUBLE128 1
#define __LONG_DOUBLE_128__ 1
#define __LONG_DOUBLE_IBM128__ 1
#define __LONG_LONG_MAX__ 0x7fffffffffffffffLL
#define __LONG_LONG_WIDTH__ 64
#define __LONG_MAX__ 0x7fffffffffffffffL
#define __LONG_WIDTH__ 64
#define __LP64__ 1
#define __ORDER_BIG_ENDIAN__ 4321
#define __ORDER_LITTLE_ENDIAN__ 1234
#define __ORDER_PDP_ENDIAN__ 3412
#define __POWER8_VECTOR__ 1
#define __PPC64__ 1
#define __PPC__ 1
#define __PTRDIFF_MAX__ 0x7fffffffffffffffL
#define __PTRDIFF_TYPE__ long int
#define __PTRDIFF_WIDTH__ 64
#define __QUAD_MEMORY_ATOMIC__ 1
#define __RECIPF__ 1
#define __RECIP_PRECISION__ 1
#define __RECIP__ 1
#define __RSQRTEF__ 1
#define __RSQRTE__ 1
#define __SCHAR_MAX__ 0x7f
#define __SCHAR_WIDTH__ 8
#define __SHRT_MAX__ 0x7fff
#define __SHRT_WIDTH__ 16
#define __SIG_ATOMIC_MAX__ 0x7fffffff
#define __SIG_ATOMIC_MIN__ (-__SIG_ATOMIC_MAX__ - 1)
#define __SIG_ATOMIC_TYPE__ int
#define __SIG_ATOMIC_WIDTH__ 32
#define __SIZEOF_DOUBLE__ 8
#define __SIZEOF_FLOAT__ 4
#define __SIZEOF_INT128__ 16
#define __SIZEOF_INT__ 4
#define __SIZEOF_LONG_DOUBLE__ 16
#define __SIZEOF_LONG_LONG__ 8
#define __SIZEOF_LONG__ 8
#define __SIZEOF_POINTER__ 8
#define __SIZEOF_PTRDIFF_T__ 8
#define __SIZEOF_SHORT__ 2
#define __SIZEOF_SIZE_T__ 8
#define __SIZEOF_WCHAR_T__ 4
#define __SIZEOF_WINT_T__ 4
#define __SIZE_MAX__ 0xffffffffffffffffUL
#define __SIZE_TYPE__ long unsigned int
#define __SIZE_WIDTH__ 64
#define __STDC_HOSTED__ 1
#define __STDC_UTF_16__ 1
#define __STDC_UTF_32__ 1
#define __STDC_VERSION__ 201710L
#define __STDC__ 1
#define __STRUCT_PARM_ALIGN__ 16
#define __UINT16_C(c) c
#define __UINT16_MAX__ 0xffff
#define __UINT16_TYPE__ short unsigned int
#define __UINT32_C(c) c ## U
#define __UINT32_MAX__ 0xffffffffU
#define __UINT32_TYPE__ unsigned int
#define __UINT64_C(c) c ## UL
#define __UINT64_MAX__ 0xffffffffffffffffUL
#define __UINT64_TYPE__ long unsigned int
#define __UINT8_C(c) c
#define __UINT8_MAX__ 0xff
#define __UINT8_TYPE__ unsigned char
#define __UINTMAX_C(c) c ## UL
#define __UINTMAX_MAX__ 0xffffffffffffffffUL
#define __UINTMAX_TYPE__ long unsigned int
#define __UINTPTR_MAX__ 0xffffffffffffffffUL
#define __UINTPTR_TYPE__ long unsigned int
#define __UINT_FAST16_MAX__ 0xffffffffffffffffUL
#define __UINT_FAST16_TYPE__ long unsigned int
#define __UINT_FAST32_MAX__ 0xffffffffffffffffUL
#define __UINT_FAST32_TYPE__ long unsigned int
#define __UINT_FAST64_MAX__ 0xffffffffffffffffUL
#define __UINT_FAST64_TYPE__ long unsigned int
#define __UINT_FAST8_MAX__ 0xff
#define __UINT_FAST8_TYPE__ unsigned char
#define __UINT_LEAST16_MAX__ 0xffff
#define __UINT_LEAST16_TYPE__ short unsigned int
#define __UINT_LEAST32_MAX__ 0xffffffffU
#define __UINT_LEAST32_TYPE__ unsigned int
#define __UINT_LEAST64_MAX__ 0xffffffffffffffffUL
#define __UINT_LEAST64_TYPE__ long unsigned int
#define __UINT_LEAST8_MAX__ 0xff
#define __UINT_LEAST8_TYPE__ unsigned char
#define __VEC_ELEMENT_REG_ORDER__ __ORDER_LITTLE_ENDIAN__
#define __VEC__ 10206
#define __VSX__ 1
#define __WCHAR_MAX__ 0x7fffffff
#define __WCHAR_MIN__ (-__WCHAR_MAX__ - 1)
#define __WCHAR_TYPE__ int
#define __WCHAR_WIDTH__ 32
#define __WINT_MAX__ 0xffffffffU
#define __WINT_MIN__ 0U
#define __WINT_TYPE__ unsigned int
#define __WINT_WIDTH__ 32
#define __bool __attribute__((altivec(bool__))) unsigned
#define __builtin_copysignq __builtin_copysignf128
#define __builtin_fabsq __builtin_fabsf128
#define __builtin_huge_valq __builtin_huge_valf128
#define __builtin_infq __builtin_inff128
#define __builtin_nanq __builtin_nanf128
#define __builtin_nansq __builtin_nansf128
#define __builtin_vsx_vperm __builtin_vec_perm
#define __builtin_vsx_xvmaddadp __builtin_vsx_xvmadddp
#define __builtin_vsx_xvmaddasp __builtin_vsx_xvmaddsp
#define __builtin_vsx_xvmaddmdp __builtin_vsx_xvmadddp
#define __builtin_vsx_xvmaddmsp __builtin_vsx_xvmaddsp
#define __builtin_vsx_xvmsubadp __builtin_vsx_xvmsubdp
#define __builtin_vsx_xvmsubasp __builtin_vsx_xvmsubsp
#define __builtin_vsx_xvmsubmdp __builtin_vsx_xvmsubdp
#define __builtin_vsx_xvmsubmsp __builtin_vsx_xvmsubsp
#define __builtin_vsx_xvnmaddadp __builtin_vsx_xvnmadddp
#define __builtin_vsx_xvnmaddasp __builtin_vsx_xvnmaddsp
#define __builtin_vsx_xvnmaddmdp __builtin_vsx_xvnmadddp
#define __builtin_vsx_xvnmaddmsp __builtin_vsx_xvnmaddsp
#define __builtin_vsx_xvnmsubadp __builtin_vsx_xvnmsubdp
#define __builtin_vsx_xvnmsubasp __builtin_vsx_xvnmsubsp
#define __builtin_vsx_xvnmsubmdp __builtin_vsx_xvnmsubdp
#define __builtin_vsx_xvnmsubmsp __builtin_vsx_xvnmsubsp
#define __builtin_vsx_xxland __builtin_vec_and
#define __builtin_vsx_xxlandc __builtin_vec_andc
#define __builtin_vsx_xxlnor __builtin_vec_nor
#define __builtin_vsx_xxlor __builtin_vec_or
#define __builtin_vsx_xxlxor __builtin_vec_xor
#define __builtin_vsx_xxsel __builtin_vec_sel
#define __float128 __ieee128
#define __gnu_linux__ 1
#define __linux 1
#define __linux__ 1
#define __pixel __attribute__((altivec(pixel__))) unsigned short
#define __powerpc64__ 1
#define __powerpc__ 1
#define __unix 1
#define __unix__ 1
#define __vector __attribute__((altivec(vector__)))
#define bool bool
#define linux 1
#define pixel pixel
#define unix 1
#define vector vector
