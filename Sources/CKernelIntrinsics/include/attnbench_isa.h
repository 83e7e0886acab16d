#ifndef ATTNBENCH_ISA_H
#define ATTNBENCH_ISA_H
/* The x86-64 feature level (psABI: 1 = baseline SSE2, 2 = SSE4.2 and POPCNT, 3 = AVX2, FMA and BMI2,
   4 = AVX-512 F/BW/DQ/VL; 0 = not x86-64) that the module importing this header is compiled for. The
   function is inlined into the Swift kernels and these macros are evaluated with the kernels' own target
   (`-target-cpu`), so it tells what the kernels were compiled for, which Swift's `#if` cannot: a versioned
   dependency is built for the consumer's target, baseline x86-64 unless they ask for more. */
static inline __attribute__((always_inline)) int attnbench_compiled_x86_level(void) {
#if defined(__AVX512F__) && defined(__AVX512BW__) && defined(__AVX512DQ__) && defined(__AVX512VL__)
    return 4;
#elif defined(__AVX2__) && defined(__FMA__) && defined(__BMI2__)
    return 3;
#elif defined(__SSE4_2__) && defined(__POPCNT__)
    return 2;
#elif defined(__x86_64__)
    return 1;
#else
    return 0;
#endif
}
#endif
