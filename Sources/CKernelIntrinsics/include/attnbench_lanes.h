#ifndef ATTNBENCH_LANES_H
#define ATTNBENCH_LANES_H
/* Lane shuffles with constant patterns for the kernels' reductions, which Swift cannot express: its SIMD
   types build a vector lane by lane (`init(lowHalf:highHalf:)`), and LLVM re-derives shuffles from those lane
   moves, badly (measured on the decode path, Swift 6.3, Zen 4: a 16-lane horizontal sum became ~35
   instructions, mostly scalar adds and lane extracts, with spills). `__builtin_shufflevector` hands LLVM the
   pattern itself. Clang vector types of 8 and 16 floats are imported into Swift as SIMD8<Float> and
   SIMD16<Float>; the functions are inlined into the kernels.

   Each function first passes its inputs through an empty asm statement (ATTNBENCH_OPAQUE): without it LLVM,
   seeing a tree of folds at once, merges the shuffles across levels into per-lane extracts and broadcasts
   (measured: 190 extracts and broadcasts, 900 stack accesses in a 4-row × 16-key score tile, against 0 and 16
   with it). The asm emits no instruction.

   attnbench_fold<W>_<B>(x, y): cuts x and y into segments of 2B lanes and returns per segment
   [x.lo + x.hi, y.lo + y.hi] (lo, hi: the segment's B-lane halves) — half of x's partial sums beside half of
   y's. Folding W vectors v_0 … v_{W-1} level by level (B = W/2, W/4, …, 1), pairing i with i + B at each
   level, leaves one vector whose lane j holds the sum of v_j's lanes.
   attnbench_max<W>(x): the largest lane of x in every lane, NaN lanes ignored (-inf if none is a number). */

typedef float attnbench_float16 __attribute__((ext_vector_type(16)));
typedef float attnbench_float8 __attribute__((ext_vector_type(8)));

/* A vector register must be as wide as the vector for the asm operand: only targets with AVX-512 (16 lanes)
   or AVX (8 lanes) get the barrier; other importers of this module (C code, debug builds without
   -target-cpu) compile the same functions without it. */
#if defined(__x86_64__) && defined(__AVX512F__)
#define ATTNBENCH_OPAQUE16(v) __asm__("" : "+v"(v))
#else
#define ATTNBENCH_OPAQUE16(v) ((void)0)
#endif
#if defined(__x86_64__) && defined(__AVX__)
#define ATTNBENCH_OPAQUE8(v) __asm__("" : "+v"(v))
#else
#define ATTNBENCH_OPAQUE8(v) ((void)0)
#endif
#define ATTNBENCH_LANES_INLINE static inline __attribute__((always_inline))

/* 16 lanes. */
ATTNBENCH_LANES_INLINE attnbench_float16 attnbench_fold16_8(attnbench_float16 x, attnbench_float16 y) {
    ATTNBENCH_OPAQUE16(x); ATTNBENCH_OPAQUE16(y);
    return __builtin_shufflevector(x, y, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23)
         + __builtin_shufflevector(x, y, 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31);
}
ATTNBENCH_LANES_INLINE attnbench_float16 attnbench_fold16_4(attnbench_float16 x, attnbench_float16 y) {
    ATTNBENCH_OPAQUE16(x); ATTNBENCH_OPAQUE16(y);
    return __builtin_shufflevector(x, y, 0, 1, 2, 3, 16, 17, 18, 19, 8, 9, 10, 11, 24, 25, 26, 27)
         + __builtin_shufflevector(x, y, 4, 5, 6, 7, 20, 21, 22, 23, 12, 13, 14, 15, 28, 29, 30, 31);
}
ATTNBENCH_LANES_INLINE attnbench_float16 attnbench_fold16_2(attnbench_float16 x, attnbench_float16 y) {
    ATTNBENCH_OPAQUE16(x); ATTNBENCH_OPAQUE16(y);
    return __builtin_shufflevector(x, y, 0, 1, 16, 17, 4, 5, 20, 21, 8, 9, 24, 25, 12, 13, 28, 29)
         + __builtin_shufflevector(x, y, 2, 3, 18, 19, 6, 7, 22, 23, 10, 11, 26, 27, 14, 15, 30, 31);
}
ATTNBENCH_LANES_INLINE attnbench_float16 attnbench_fold16_1(attnbench_float16 x, attnbench_float16 y) {
    ATTNBENCH_OPAQUE16(x); ATTNBENCH_OPAQUE16(y);
    return __builtin_shufflevector(x, y, 0, 16, 2, 18, 4, 20, 6, 22, 8, 24, 10, 26, 12, 28, 14, 30)
         + __builtin_shufflevector(x, y, 1, 17, 3, 19, 5, 21, 7, 23, 9, 25, 11, 27, 13, 29, 15, 31);
}
ATTNBENCH_LANES_INLINE attnbench_float16 attnbench_max16(attnbench_float16 x) {
    ATTNBENCH_OPAQUE16(x);
    const attnbench_float16 none = -__builtin_inff();
    attnbench_float16 m = (x > none) ? x : none, s;
    s = __builtin_shufflevector(m, m, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7); m = (m < s) ? s : m;
    s = __builtin_shufflevector(m, m, 4, 5, 6, 7, 0, 1, 2, 3, 12, 13, 14, 15, 8, 9, 10, 11); m = (m < s) ? s : m;
    s = __builtin_shufflevector(m, m, 2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13); m = (m < s) ? s : m;
    s = __builtin_shufflevector(m, m, 1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10, 13, 12, 15, 14); m = (m < s) ? s : m;
    return m;
}

/* 8 lanes. */
ATTNBENCH_LANES_INLINE attnbench_float8 attnbench_fold8_4(attnbench_float8 x, attnbench_float8 y) {
    ATTNBENCH_OPAQUE8(x); ATTNBENCH_OPAQUE8(y);
    return __builtin_shufflevector(x, y, 0, 1, 2, 3, 8, 9, 10, 11) + __builtin_shufflevector(x, y, 4, 5, 6, 7, 12, 13, 14, 15);
}
ATTNBENCH_LANES_INLINE attnbench_float8 attnbench_fold8_2(attnbench_float8 x, attnbench_float8 y) {
    ATTNBENCH_OPAQUE8(x); ATTNBENCH_OPAQUE8(y);
    return __builtin_shufflevector(x, y, 0, 1, 8, 9, 4, 5, 12, 13) + __builtin_shufflevector(x, y, 2, 3, 10, 11, 6, 7, 14, 15);
}
ATTNBENCH_LANES_INLINE attnbench_float8 attnbench_fold8_1(attnbench_float8 x, attnbench_float8 y) {
    ATTNBENCH_OPAQUE8(x); ATTNBENCH_OPAQUE8(y);
    return __builtin_shufflevector(x, y, 0, 8, 2, 10, 4, 12, 6, 14) + __builtin_shufflevector(x, y, 1, 9, 3, 11, 5, 13, 7, 15);
}
ATTNBENCH_LANES_INLINE attnbench_float8 attnbench_max8(attnbench_float8 x) {
    ATTNBENCH_OPAQUE8(x);
    const attnbench_float8 none = -__builtin_inff();
    attnbench_float8 m = (x > none) ? x : none, s;
    s = __builtin_shufflevector(m, m, 4, 5, 6, 7, 0, 1, 2, 3); m = (m < s) ? s : m;
    s = __builtin_shufflevector(m, m, 2, 3, 0, 1, 6, 7, 4, 5); m = (m < s) ? s : m;
    s = __builtin_shufflevector(m, m, 1, 0, 3, 2, 5, 4, 7, 6); m = (m < s) ? s : m;
    return m;
}

/* Storage formats widened to fp32 in registers, for the kernels that read f16, bf16 and q8_0 keys and values
   in place. Swift's SIMD conversions (`SIMD16<Float>(SIMD16<Float16>)`, `init(truncatingIfNeeded:)`) compile
   to out-of-line calls that pass the vector in four xmm pieces (measured, Swift 6.3, Zen 4: 22 such calls in
   the decode path); `__builtin_convertvector` gives LLVM the whole-vector conversion, which it lowers to one
   instruction where the target has it: vcvtph2ps (F16C / AVX-512) for f16, vpmovzxwd + vpslld for bf16 (a
   bf16 is the top half of its binary32), vpmovsxbd + vcvtdq2ps for int8. Every conversion is exact. The
   loads are unaligned (q8_0 blocks are 34 bytes).
   bf16 with AVX-512 VBMI: one byte permute with zero-masking (vpermb {k}{z}) moves each value's two bytes into
   the top half of its lane and zeroes the bottom half, one vector operation where vpmovzxwd + vpslld take two
   (on Intel both issue to the FMA ports). The index and mask pass through an empty asm so that LLVM keeps
   them: it otherwise rewrites the masked permute into a permute and an AND. Measured on an Intel Xeon,
   family 6 model 207, 6 alternating runs of the two builds, median of the runs' medians, decode `--seq 1
   --heads 32 --kv-heads 8 --head-dim 128 --causal on --kv-dtype bf16`: 32768 keys 0.960× the time (`fused`,
   1 thread) and 0.893× (`parallel`, 2 threads); 256 keys (K/V in L2) 0.913× and 0.877×; f32 K/V in the same
   runs 0.923–1.006×. */
typedef _Float16 attnbench_half16 __attribute__((ext_vector_type(16), aligned(1)));
typedef _Float16 attnbench_half8 __attribute__((ext_vector_type(8), aligned(1)));
typedef unsigned short attnbench_bits16 __attribute__((ext_vector_type(16), aligned(1)));
typedef unsigned short attnbench_bits8 __attribute__((ext_vector_type(8), aligned(1)));
typedef unsigned int attnbench_wide16 __attribute__((ext_vector_type(16)));
typedef unsigned int attnbench_wide8 __attribute__((ext_vector_type(8)));
typedef signed char attnbench_bytes16 __attribute__((ext_vector_type(16), aligned(1)));
typedef signed char attnbench_bytes8 __attribute__((ext_vector_type(8), aligned(1)));

ATTNBENCH_LANES_INLINE attnbench_float16 attnbench_load_f16x16(const void *p) {
    return __builtin_convertvector(*(const attnbench_half16 *)p, attnbench_float16);
}
ATTNBENCH_LANES_INLINE attnbench_float8 attnbench_load_f16x8(const void *p) {
    return __builtin_convertvector(*(const attnbench_half8 *)p, attnbench_float8);
}
ATTNBENCH_LANES_INLINE attnbench_float16 attnbench_load_bf16x16(const void *p) {
#if defined(__x86_64__) && defined(__AVX512VBMI__)
    typedef char bytes64_t __attribute__((vector_size(64)));
    typedef char bytes32_t __attribute__((vector_size(32), aligned(1)));
    bytes32_t half = *(const bytes32_t *)p;
    bytes64_t wide = __builtin_shufflevector(half, half, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
                                             20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, -1, -1, -1, -1, -1, -1, -1, -1,
                                             -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1);
    bytes64_t index = {0, 0, 0, 1, 0, 0, 2, 3, 0, 0, 4, 5, 0, 0, 6, 7, 0, 0, 8, 9, 0, 0, 10, 11, 0, 0, 12, 13, 0, 0, 14, 15,
                       0, 0, 16, 17, 0, 0, 18, 19, 0, 0, 20, 21, 0, 0, 22, 23, 0, 0, 24, 25, 0, 0, 26, 27, 0, 0, 28, 29, 0, 0, 30, 31};
    unsigned long long high = 0xCCCCCCCCCCCCCCCCull;
    __asm__("" : "+v"(index), "+r"(high));
    return (attnbench_float16)__builtin_ia32_selectb_512(high, __builtin_ia32_permvarqi512(wide, index), (bytes64_t){0});
#else
    return (attnbench_float16)(__builtin_convertvector(*(const attnbench_bits16 *)p, attnbench_wide16) << 16);
#endif
}
ATTNBENCH_LANES_INLINE attnbench_float8 attnbench_load_bf16x8(const void *p) {
    return (attnbench_float8)(__builtin_convertvector(*(const attnbench_bits8 *)p, attnbench_wide8) << 16);
}
ATTNBENCH_LANES_INLINE attnbench_float16 attnbench_load_i8x16(const void *p, float scale) {
    return __builtin_convertvector(*(const attnbench_bytes16 *)p, attnbench_float16) * scale;
}
ATTNBENCH_LANES_INLINE attnbench_float8 attnbench_load_i8x8(const void *p, float scale) {
    return __builtin_convertvector(*(const attnbench_bytes8 *)p, attnbench_float8) * scale;
}
/* The int8 values alone, for a caller that applies the block's scale elsewhere (folded into a table or a
   coefficient): the q8_0 decode path, whose per-vector scale load and conversion cost more than its FMAs. */
ATTNBENCH_LANES_INLINE attnbench_float16 attnbench_load_i8x16_unscaled(const void *p) {
    return __builtin_convertvector(*(const attnbench_bytes16 *)p, attnbench_float16);
}
ATTNBENCH_LANES_INLINE attnbench_float8 attnbench_load_i8x8_unscaled(const void *p) {
    return __builtin_convertvector(*(const attnbench_bytes8 *)p, attnbench_float8);
}

/* The f16 scales of one q8_0 block in each of w rows, `offsets[j]` bytes past `p` (the block's first byte in
   row 0), widened to fp32: the block scales of a decode tile, keys in lanes. One gather of 32-bit words (the
   scale and the block's first two int8 values, so it reads only inside the block), truncated to their low
   16 bits and converted. The former 16-bit stores into a scratch row read back as one vector missed
   store-to-load forwarding for every block (perf on Intel family 6 model 207: 5% of a q8_0 decode run in
   the stores before the conversion). Without AVX2 or AVX-512 the words are read one by one. */
typedef int attnbench_index16 __attribute__((ext_vector_type(16)));
typedef int attnbench_index8 __attribute__((ext_vector_type(8)));
typedef unsigned short attnbench_scalebits16 __attribute__((ext_vector_type(16)));
typedef unsigned short attnbench_scalebits8 __attribute__((ext_vector_type(8)));
typedef _Float16 attnbench_scales16 __attribute__((ext_vector_type(16)));
typedef _Float16 attnbench_scales8 __attribute__((ext_vector_type(8)));
/* One f16 scale's bits, `offset` bytes past `p`: the portable path of the gathers below. */
ATTNBENCH_LANES_INLINE int attnbench_scale_bits(const void *p, int offset) {
    unsigned short bits;
    __builtin_memcpy(&bits, (const char *)p + offset, 2);
    return bits;
}
ATTNBENCH_LANES_INLINE attnbench_float16 attnbench_gather_f16x16(const void *p, attnbench_index16 offsets) {
#if defined(__x86_64__) && defined(__AVX512F__)
    typedef int words_t __attribute__((vector_size(64)));
    attnbench_index16 words = (attnbench_index16)__builtin_ia32_gathersiv16si((words_t)offsets, p, (words_t)offsets,
                                                                               (unsigned short)0xFFFF, 1);
#else
    attnbench_index16 words;
    for (int j = 0; j < 16; j++) words[j] = attnbench_scale_bits(p, offsets[j]);
#endif
    attnbench_scalebits16 bits = __builtin_convertvector(words, attnbench_scalebits16);
    return __builtin_convertvector((attnbench_scales16)bits, attnbench_float16);
}
ATTNBENCH_LANES_INLINE attnbench_float8 attnbench_gather_f16x8(const void *p, attnbench_index8 offsets) {
#if defined(__x86_64__) && defined(__AVX2__)
    typedef int words_t __attribute__((vector_size(32)));
    attnbench_index8 words = (attnbench_index8)__builtin_ia32_gatherd_d256((words_t)offsets, (const int *)p, (words_t)offsets,
                                                                           (words_t)(attnbench_index8)(-1), 1);
#else
    attnbench_index8 words;
    for (int j = 0; j < 8; j++) words[j] = attnbench_scale_bits(p, offsets[j]);
#endif
    attnbench_scalebits8 bits = __builtin_convertvector(words, attnbench_scalebits8);
    return __builtin_convertvector((attnbench_scales8)bits, attnbench_float8);
}

#undef ATTNBENCH_LANES_INLINE
#undef ATTNBENCH_OPAQUE16
#undef ATTNBENCH_OPAQUE8
#endif
