// Shared device code for the ebm4j kernels: the Philox4x32-10 generator (bit-identical to
// org.ebm4j.random.Philox), its uniform/normal mappings, the sigmoid forms, and the loop shapes.
//
// Rules every kernel file follows, so that the same source compiles with nvcc (PTX) and with
// g++ through src/test/cpp/cuda_emu.h:
//   * no warp intrinsics, no atomics, no inline PTX;
//   * kernels are extern "C" (stable names for cuModuleGetFunction);
//   * __syncthreads() only in kernels that the emulation launches with one thread per CUDA thread.
// The PTX is compiled with -fmad=false so that a*b+c rounds twice, as Java does; kernels that want
// a fused multiply-add (SGEMM) call fmaf explicitly.
#ifndef EBM_COMMON_CUH
#define EBM_COMMON_CUH

#ifndef __CUDACC__
#include "cuda_emu.h"
#endif

// Tests can swap in a deliberately perturbed expf to prove the tie re-check below (see
// ebm_bernoulli_sigmoid); the GPU build uses CUDA's expf (max error 2 ulp).
#ifndef EBM_EXPF
#define EBM_EXPF(x) expf(x)
#endif
// Likewise for the activation kernel's logarithms (CUDA's log1pf and logf: max error 1 ulp).
#ifndef EBM_LOG1PF
#define EBM_LOG1PF(x) log1pf(x)
#endif
#ifndef EBM_LOGF
#define EBM_LOGF(x) logf(x)
#endif

#define EBM_PHILOX_M0 0xD2511F53u
#define EBM_PHILOX_M1 0xCD9E8D57u
#define EBM_PHILOX_W0 0x9E3779B9u
#define EBM_PHILOX_W1 0xBB67AE85u

// (float)(2.0 * Math.PI) in Java: 6.2831855f.
#define EBM_TWO_PI_F 6.28318530717958647692f

struct EbmWords {
    unsigned x0, x1, x2, x3;
};

// One Philox4x32-10 block: counter (c0, c1, c2, c3), key (k0, k1). Round r uses the key bumped r
// times by (W0, W1), exactly as Philox.block does.
__device__ __forceinline__ EbmWords ebm_philox(unsigned c0, unsigned c1, unsigned c2, unsigned c3,
                                              unsigned k0, unsigned k1) {
#pragma unroll
    for (int r = 0; r < 10; r++) {
        if (r > 0) {
            k0 += EBM_PHILOX_W0;
            k1 += EBM_PHILOX_W1;
        }
        unsigned long long p0 = (unsigned long long)EBM_PHILOX_M0 * c0;
        unsigned long long p1 = (unsigned long long)EBM_PHILOX_M1 * c2;
        unsigned hi0 = (unsigned)(p0 >> 32), lo0 = (unsigned)p0;
        unsigned hi1 = (unsigned)(p1 >> 32), lo1 = (unsigned)p1;
        c0 = hi1 ^ c1 ^ k0;
        c1 = lo1;
        c2 = hi0 ^ c3 ^ k1;
        c3 = lo0;
    }
    EbmWords w;
    w.x0 = c0; w.x1 = c1; w.x2 = c2; w.x3 = c3;
    return w;
}

// The ebm4j stream layout: key = seed (low, high), counter = (quad, draw low, draw high, stream).
__device__ __forceinline__ EbmWords ebm_stream_block(unsigned long long seed, unsigned stream,
                                                    unsigned long long draw, unsigned quad) {
    return ebm_philox(quad, (unsigned)draw, (unsigned)(draw >> 32), stream,
                      (unsigned)seed, (unsigned)(seed >> 32));
}

__device__ __forceinline__ unsigned ebm_word(const EbmWords& w, unsigned j) {
    return j == 0 ? w.x0 : j == 1 ? w.x1 : j == 2 ? w.x2 : w.x3;
}

// (x >>> 8) * 2^-24: exact in float, in [0, 1).
__device__ __forceinline__ float ebm_uniform(unsigned x) {
    return (float)(x >> 8) * 5.9604644775390625e-8f;
}

// ((x >>> 8) + 1) * 2^-24: in (0, 1], the Box-Muller radius input.
__device__ __forceinline__ float ebm_uniform_open_zero(unsigned x) {
    return (float)((x >> 8) + 1u) * 5.9604644775390625e-8f;
}

// Philox.boxMuller: log and cos in double rounded to float, as Java's (float) Math.log /
// (float) Math.cos, so that normals match the Java spec to the last bit in all but rare cases.
__device__ __forceinline__ float ebm_box_muller(unsigned a, unsigned b) {
    float u1 = ebm_uniform_open_zero(a);
    float u2 = ebm_uniform(b);
    float l = (float)log((double)u1);
    float r = sqrtf(-2.0f * l);
    float c = (float)cos((double)(EBM_TWO_PI_F * u2));
    return r * c;
}

// The Java spec of a logistic probability: 1f / (1f + (float) Math.exp(-z)).
__device__ __forceinline__ float ebm_sigmoid_exact(float z) {
    return 1.0f / (1.0f + (float)exp((double)(-z)));
}

__device__ __forceinline__ float ebm_sigmoid_fast(float z) {
    return 1.0f / (1.0f + EBM_EXPF(-z));
}

// The Bernoulli decision u < sigmoid(z) as the Java spec takes it, computed fast: pFast is within
// 2^-20 (relative) of the spec's probability, so outside a band of 2^-18 around it the decision
// cannot differ; inside the band (about one element in 10^5) it is re-taken with the exact form.
// NaN z gives a NaN probability and a 0 sample (every comparison with NaN is false).
__device__ __forceinline__ float ebm_bernoulli_sigmoid(float u, float pFast, float z) {
    if (fabsf(u - pFast) <= pFast * 3.814697265625e-6f + 7.888609052210118e-31f) {
        return u < ebm_sigmoid_exact(z) ? 1.0f : 0.0f;
    }
    return u < pFast ? 1.0f : 0.0f;
}

// Grid-stride loop over [0, n). The host keeps gridDim.x * blockDim.x <= 2^30, and n < 2^31, so
// the unsigned index never wraps.
// v[0..3] = p[0..3] from 16-byte-aligned (shared) memory: one 128-bit load on the device; the
// emulation checks the alignment the device needs.
__device__ __forceinline__ void ebm_load4(const float* p, float* v) {
#ifdef __CUDACC__
    float4 q = *reinterpret_cast<const float4*>(p);
    v[0] = q.x;
    v[1] = q.y;
    v[2] = q.z;
    v[3] = q.w;
#else
    if (reinterpret_cast<unsigned long long>(p) % 16u != 0) {
        std::fprintf(stderr, "ebm_load4: address %p is not 16-byte aligned\n", static_cast<const void*>(p));
        std::abort();
    }
    for (int i = 0; i < 4; i++) v[i] = p[i];
#endif
}

#define EBM_GRID_STRIDE(i, n) \
    for (unsigned i = blockIdx.x * blockDim.x + threadIdx.x; i < (unsigned)(n); i += blockDim.x * gridDim.x)

#endif
