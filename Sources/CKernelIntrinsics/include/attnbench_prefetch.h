#ifndef ATTNBENCH_PREFETCH_H
#define ATTNBENCH_PREFETCH_H
/* A software prefetch, which Swift cannot express: asks the core to start loading the cache line holding
   address into the cache (locality hint 2, "T1") without waiting for it. The kernels' streaming path uses it
   to keep enough DRAM requests in flight while it computes; a hint only, it never faults. Inlined. On AMD
   Zen 4 hint T1 fills L2: T0 and NTA (into L1) ran the decode shape 1.4-2x slower, thrashing L1. */
static inline void attnbench_prefetch(const void *address) { __builtin_prefetch(address, 0, 2); }
#endif
