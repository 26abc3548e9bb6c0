// Register-blocked SGEMM for when cuBLAS cannot be loaded, on row-major matrices:
//   C = alpha * op(A) * op(B) + beta * C,  op(A) m x k, op(B) k x n, C m x n (ldc >= n).
// A is m x k (lda >= k), or k x m (lda >= m) when transposed; likewise B. With beta == 0, C is
// not read (NaN there does not propagate), as in BLAS.
//
// Shape: a 64 x 64 tile of C per block of 256 threads, each thread a 4 x 4 register block; A and
// B stream through shared memory in 16-deep slices, each slice prefetched into registers while
// the previous one is multiplied. Shared tiles are stored k-major so that the inner loop reads
// four consecutive floats of A and of B per k. One kernel per transpose case (template), so the
// global loads of each case are coalesced and branch-free.
#include "sgemm_tiles.cuh"

#define EBM_GEMM_BM 64
#define EBM_GEMM_BN 64
#define EBM_GEMM_BK 16
#define EBM_GEMM_THREADS 256
// Padding keeps the k-major stores from piling on one bank and rows 16-byte aligned.
#define EBM_GEMM_PAD 4

template <bool TA, bool TB>
__device__ __forceinline__ void ebm_sgemm(unsigned m, unsigned n, unsigned k, float alpha,
                                          const float* a, unsigned lda, const float* b, unsigned ldb,
                                          float beta, float* c, unsigned ldc) {
    __shared__ float as[EBM_GEMM_BK][EBM_GEMM_BM + EBM_GEMM_PAD];
    __shared__ float bs[EBM_GEMM_BK][EBM_GEMM_BN + EBM_GEMM_PAD];

    const unsigned t = threadIdx.x;
    const unsigned tx = t % 16u;  // 4 output columns: tx * 4 ..
    const unsigned ty = t / 16u;  // 4 output rows: ty * 4 ..
    // m-tiles on grid X (up to 2^31 - 1 blocks), so a tall product (a large batch) always fits;
    // n-tiles on grid Y, whose 65535 limit a grid-stride loop lifts.
    const unsigned m0 = blockIdx.x * EBM_GEMM_BM;
    for (unsigned nTile = blockIdx.y; nTile < (n + EBM_GEMM_BN - 1) / EBM_GEMM_BN; nTile += gridDim.y) {
        const unsigned n0 = nTile * EBM_GEMM_BN;

        float acc[4][4];
        ebm_gemm_clear(acc);

        float ra[4], rb[4];
        ebm_gemm_fetch<TA, TB, EBM_GEMM_BM, EBM_GEMM_BK, EBM_GEMM_THREADS>(a, lda, b, ldb, m, n, m0, n0, 0, k, t, ra, rb);

        for (unsigned k0 = 0; k0 < k; k0 += EBM_GEMM_BK) {
            ebm_gemm_stage<TA, TB, EBM_GEMM_BM, EBM_GEMM_BK, EBM_GEMM_THREADS, EBM_GEMM_BM + EBM_GEMM_PAD>(
                &as[0][0], &bs[0][0], a, lda, b, ldb, m, n, m0, n0, k0, k, t, ra, rb);
#pragma unroll
            for (unsigned kk = 0; kk < EBM_GEMM_BK; kk++) {
                float av[4], bv[4];
#pragma unroll
                for (unsigned i = 0; i < 4u; i++) {
                    av[i] = as[kk][ty * 4u + i];
                    bv[i] = bs[kk][tx * 4u + i];
                }
#pragma unroll
                for (int i = 0; i < 4; i++) {
#pragma unroll
                    for (int j = 0; j < 4; j++) acc[i][j] = fmaf(av[i], bv[j], acc[i][j]);
                }
            }
        }

#pragma unroll
        for (unsigned i = 0; i < 4u; i++) {
            unsigned row = m0 + ty * 4u + i;
            if (row >= m) continue;
#pragma unroll
            for (unsigned j = 0; j < 4u; j++) {
                unsigned col = n0 + tx * 4u + j;
                if (col < n) ebm_gemm_store(c, row, ldc, col, alpha, beta, acc[i][j]);
            }
        }
    }
}

// Grid: (ceil(m / 64), min(ceil(n / 64), 65535)), 256 threads. One entry point per transposition pair, named
// after it: sgemm_nn (op(A) = A, op(B) = B), sgemm_nt (op(B) = B^T), sgemm_tn (op(A) = A^T), sgemm_tt.
#define EBM_SGEMM_ENTRY(name, transA, transB)                                                               \
    extern "C" __global__ void __launch_bounds__(EBM_GEMM_THREADS)                                          \
    name(unsigned m, unsigned n, unsigned k, float alpha, const float* a, unsigned lda, const float* b,      \
         unsigned ldb, float beta, float* c, unsigned ldc) {                                                 \
        ebm_sgemm<transA, transB>(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);                             \
    }

EBM_SGEMM_ENTRY(sgemm_nn, false, false)
EBM_SGEMM_ENTRY(sgemm_nt, false, true)
EBM_SGEMM_ENTRY(sgemm_tn, true, false)
EBM_SGEMM_ENTRY(sgemm_tt, true, true)
