#ifndef ATTNBENCH_SPIN_H
#define ATTNBENCH_SPIN_H
/* One round of a spin-wait loop, which Swift cannot express: x86 `pause` (arm64 `yield`) tells the core
   that this thread is only polling, so it backs off the memory order machinery and, on SMT cores, leaves
   the pipeline to its sibling. Inlined; a no-op elsewhere. */
static inline void attnbench_spin_pause(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}
#endif
