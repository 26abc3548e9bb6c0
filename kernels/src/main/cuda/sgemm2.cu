// SGEMM v2, for when cuBLAS cannot be loaded and the product is large enough to fill the device
// with 128 x 128 tiles, or skinny enough to need a split of k (the RBM's weight gradient v^T h:
// 784 x 500 outputs summed over the batch). Row-major, as sgemm.cu:
//   C = alpha * op(A) * op(B) + beta * C,  op(A) m x k, op(B) k x n, C m x n (ldc >= n).
//
// Shape: a 128 x 128 tile of C per block of 256 threads, each thread an 8 x 8 register block
// (rows ty*4.. and 64+ty*4.., columns tx*4.. and 64+tx*4.., so that a warp's vector reads of a
// shared row are consecutive and conflict-free). A and B stream through shared memory in 8-deep
// slices, k-major, the next slice prefetched into registers while this one is multiplied; the
// inner loop reads four 16-byte vectors from shared memory per 64 FMAs (v1: eight scalar reads
// per 16 FMAs).
//
// Split-K: grid Z divides k into slices of kChunk (a multiple of 8). With one slice and
// partial == null the block applies alpha and beta itself; with several, slice z writes its raw
// sums to partial[z * m * n ..] and sgemm_splitk_reduce adds the slices in order z = 0, 1, ...
// (no atomics: the result does not depend on scheduling) and applies alpha and beta.
#include "sgemm_tiles.cuh"

#define EBM_GEMM2_BM 128
#define EBM_GEMM2_BN 128
#define EBM_GEMM2_BK 8
#define EBM_GEMM2_THREADS 256
// Rows of 132 floats: 16-byte aligned for the vector reads, and the k-major stores of 32
// consecutive threads land on 32 different banks.
#define EBM_GEMM2_PAD 4

// The sigmoid-Bernoulli epilogue (EPI = true): instead of C, element e = row * n + col of the product
// (alpha 1, beta 0, one k-slice) becomes z = 1 * (acc + bias[col]), probs[e] = sigmoid(z) and, when
// samples is not null, samples[e] = the Bernoulli draw of sample_sigmoid_bernoulli at that element:
// Philox block e / 4, word e % 4 of (seed, stream, draw), the same arithmetic, so the result equals
// SGEMM then sample_sigmoid_bernoulli (scale 1) to the bit, with one launch and no pass over C.
struct EbmSigmoidEpilogue {
    const float* bias;
    float* probs;
    float* samples;
    unsigned long long seed;
    unsigned stream;
    unsigned long long draw;
};

// Not inlined: the fully unrolled epilogue would otherwise hold up to 64 copies of the ten Philox rounds,
// run out of registers and quadruple the module's PTX.
__device__ __noinline__ EbmWords ebm_epilogue_block(unsigned long long seed, unsigned stream, unsigned long long draw,
                                                    unsigned quad) {
    return ebm_stream_block(seed, stream, draw, quad);
}

// Likewise the decision with its rare exact re-check (a double-precision exp).
__device__ __noinline__ float ebm_epilogue_sample(float u, float p, float z) {
    return ebm_bernoulli_sigmoid(u, p, z);
}

template <bool TA, bool TB, bool EPI>
__device__ __forceinline__ void ebm_sgemm2(unsigned m, unsigned n, unsigned k, float alpha,
                                           const float* a, unsigned lda, const float* b, unsigned ldb,
                                           float beta, float* c, unsigned ldc, unsigned kChunk, float* partial,
                                           const EbmSigmoidEpilogue& epi) {
    __shared__ __align__(16) float as[EBM_GEMM2_BK][EBM_GEMM2_BM + EBM_GEMM2_PAD];
    __shared__ __align__(16) float bs[EBM_GEMM2_BK][EBM_GEMM2_BN + EBM_GEMM2_PAD];

    const unsigned t = threadIdx.x;
    const unsigned tx = t % 16u;
    const unsigned ty = t / 16u;
    const unsigned m0 = blockIdx.x * EBM_GEMM2_BM;
    const unsigned kBegin = blockIdx.z * kChunk;
    const unsigned kEnd = kBegin + kChunk < k ? kBegin + kChunk : k;

    for (unsigned nTile = blockIdx.y; nTile < (n + EBM_GEMM2_BN - 1) / EBM_GEMM2_BN; nTile += gridDim.y) {
        const unsigned n0 = nTile * EBM_GEMM2_BN;
        float acc[8][8];
        ebm_gemm_clear(acc);
        float ra[4], rb[4];
        ebm_gemm_fetch<TA, TB, EBM_GEMM2_BM, EBM_GEMM2_BK, EBM_GEMM2_THREADS>(a, lda, b, ldb, m, n, m0, n0, kBegin, kEnd, t, ra,
                                                                              rb);
        for (unsigned k0 = kBegin; k0 < kEnd; k0 += EBM_GEMM2_BK) {
            ebm_gemm_stage<TA, TB, EBM_GEMM2_BM, EBM_GEMM2_BK, EBM_GEMM2_THREADS, EBM_GEMM2_BM + EBM_GEMM2_PAD>(
                &as[0][0], &bs[0][0], a, lda, b, ldb, m, n, m0, n0, k0, kEnd, t, ra, rb);
#pragma unroll
            for (unsigned kk = 0; kk < EBM_GEMM2_BK; kk++) {
                float av[8], bv[8];
                ebm_load4(&as[kk][ty * 4u], av);
                ebm_load4(&as[kk][64u + ty * 4u], av + 4);
                ebm_load4(&bs[kk][tx * 4u], bv);
                ebm_load4(&bs[kk][64u + tx * 4u], bv + 4);
#pragma unroll
                for (int i = 0; i < 8; i++) {
#pragma unroll
                    for (int j = 0; j < 8; j++) acc[i][j] = fmaf(av[i], bv[j], acc[i][j]);
                }
            }
        }
        // The epilogue's Philox block, kept while consecutive elements fall in it.
        unsigned quad = 0xFFFFFFFFu;
        EbmWords words = {0u, 0u, 0u, 0u};
#pragma unroll
        for (unsigned i = 0; i < 8u; i++) {
            unsigned row = m0 + (i < 4u ? ty * 4u + i : 64u + ty * 4u + (i - 4u));
            if (row >= m) continue;
#pragma unroll
            for (unsigned j = 0; j < 8u; j++) {
                unsigned col = n0 + (j < 4u ? tx * 4u + j : 64u + tx * 4u + (j - 4u));
                if (col >= n) continue;
                if (EPI) {
                    unsigned e = row * n + col;
                    float z = 1.0f * (acc[i][j] + (epi.bias != nullptr ? epi.bias[col] : 0.0f));
                    float p = ebm_sigmoid_fast(z);
                    epi.probs[e] = p;
                    if (epi.samples != nullptr) {
                        if ((e >> 2) != quad) {
                            quad = e >> 2;
                            words = ebm_epilogue_block(epi.seed, epi.stream, epi.draw, quad);
                        }
                        epi.samples[e] = ebm_epilogue_sample(ebm_uniform(ebm_word(words, e & 3u)), p, z);
                    }
                } else if (partial != nullptr) {
                    partial[((unsigned long long)blockIdx.z * m + row) * n + col] = acc[i][j];
                } else {
                    ebm_gemm_store(c, row, ldc, col, alpha, beta, acc[i][j]);
                }
            }
        }
    }
}

// Grid: (ceil(m / 128), min(ceil(n / 128), 65535), slices), 256 threads; partial null when
// slices == 1. One entry point per transposition pair, as in sgemm.cu.
#define EBM_SGEMM2_ENTRY(name, transA, transB)                                                               \
    extern "C" __global__ void __launch_bounds__(EBM_GEMM2_THREADS)                                          \
    name(unsigned m, unsigned n, unsigned k, float alpha, const float* a, unsigned lda, const float* b,       \
         unsigned ldb, float beta, float* c, unsigned ldc, unsigned kChunk, float* partial) {                 \
        ebm_sgemm2<transA, transB, false>(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, kChunk, partial,      \
                                          EbmSigmoidEpilogue());                                              \
    }

EBM_SGEMM2_ENTRY(sgemm2_nn, false, false)
EBM_SGEMM2_ENTRY(sgemm2_nt, false, true)
EBM_SGEMM2_ENTRY(sgemm2_tn, true, false)
EBM_SGEMM2_ENTRY(sgemm2_tt, true, true)

// The sigmoid-Bernoulli epilogue form (see EbmSigmoidEpilogue) of the two products the RBM's half-steps
// make, v W (nn) and h W^T (nt): grid (ceil(m / 128), min(ceil(n / 128), 65535)), 256 threads, one
// k-slice. probs must not be null; bias and samples may be.
#define EBM_SGEMM2_SIGMOID_ENTRY(name, transA, transB)                                                       \
    extern "C" __global__ void __launch_bounds__(EBM_GEMM2_THREADS)                                          \
    name(unsigned m, unsigned n, unsigned k, const float* a, unsigned lda, const float* b, unsigned ldb,       \
         const float* bias, float* probs, float* samples, unsigned long long seed, unsigned stream,            \
         unsigned long long draw) {                                                                           \
        EbmSigmoidEpilogue epi = {bias, probs, samples, seed, stream, draw};                                  \
        ebm_sgemm2<transA, transB, true>(m, n, k, 1.0f, a, lda, b, ldb, 0.0f, nullptr, n, k, nullptr, epi);  \
    }

EBM_SGEMM2_SIGMOID_ENTRY(sgemm2_nn_sigmoid_bernoulli, false, false)
EBM_SGEMM2_SIGMOID_ENTRY(sgemm2_nt_sigmoid_bernoulli, false, true)

// C = alpha * (partial[0] + partial[1] + ... + partial[slices - 1]) + beta * C, the slices added in
// order. Grid-stride over the m * n outputs (m * n < 2^32, checked by the caller).
extern "C" __global__ void sgemm_splitk_reduce(unsigned m, unsigned n, unsigned slices, const float* partial,
                                               float alpha, float beta, float* c, unsigned ldc) {
    unsigned long long total = (unsigned long long)m * n;
    EBM_GRID_STRIDE(e, total) {
        float s = 0.0f;
        for (unsigned z = 0; z < slices; z++) s += partial[(unsigned long long)z * total + e];
        ebm_gemm_store(c, e / n, ldc, e % n, alpha, beta, s);
    }
}
