"""The libc build gate: a C library's headers and a kernel's headers
included together, in both orders, and every conflict a compiler would
raise between them predicted.

``driver`` builds the translation units (through ``analysis``, as
snapshots do) and runs the rules of ``rules/`` on each; ``context`` holds
what a rule reads. GCC reports redefinitions and -Wundef only outside
system headers: each verdict says whether it holds for builds that see the
headers with -I (the libc's own build, programs with -I) or for everyone.
"""
