// The tile movement both SGEMM kernels share (sgemm.cu, sgemm2.cu): a square TILE x BK slice of
// op(A) and of op(B) fetched from global memory into registers, then stored k-major into shared
// memory, by THREADS threads, TILE * BK / THREADS elements each per operand; and the pieces around
// it that both kernels write alike (clearing the accumulators, the BLAS store of one element).
#ifndef EBM_SGEMM_TILES_CUH
#define EBM_SGEMM_TILES_CUH

#include "ebm_common.cuh"

// Element (r, c) of op(X) where op(X) is rows x [.., kEnd): X[r * ld + c], or X[c * ld + r] when
// transposed; zero outside, so partial tiles and k-slices need no other bounds checks.
template <bool TRANS>
__device__ __forceinline__ float ebm_gemm_load(const float* x, unsigned ld, unsigned r, unsigned c,
                                               unsigned rows, unsigned kEnd) {
    if (r >= rows || c >= kEnd) return 0.0f;
    return TRANS ? x[(unsigned long long)c * ld + r] : x[(unsigned long long)r * ld + c];
}

// Which (row-of-op, k) element of a TILE x BK slice the i-th load of thread t fetches. For a
// non-transposed operand (k contiguous in memory) BK consecutive threads read BK consecutive k;
// for a transposed one (the rows contiguous) TILE consecutive threads read TILE consecutive rows.
template <bool TRANS, unsigned TILE, unsigned BK, unsigned THREADS>
__device__ __forceinline__ void ebm_gemm_slot(unsigned t, unsigned i, unsigned& r, unsigned& c) {
    unsigned idx = t + i * THREADS;
    if (TRANS) {
        r = idx % TILE;
        c = idx / TILE;
    } else {
        r = idx / BK;
        c = idx % BK;
    }
}

// ra, rb = the slice at k0 of op(A) (rows m0..) and op(B) (as an n x k operand read with the
// opposite transpose: columns n0..).
template <bool TA, bool TB, unsigned TILE, unsigned BK, unsigned THREADS>
__device__ __forceinline__ void ebm_gemm_fetch(const float* a, unsigned lda, const float* b, unsigned ldb, unsigned m,
                                               unsigned n, unsigned m0, unsigned n0, unsigned k0, unsigned kEnd,
                                               unsigned t, float* ra, float* rb) {
#pragma unroll
    for (unsigned i = 0; i < TILE * BK / THREADS; i++) {
        unsigned r, cc;
        ebm_gemm_slot<TA, TILE, BK, THREADS>(t, i, r, cc);
        ra[i] = ebm_gemm_load<TA>(a, lda, m0 + r, k0 + cc, m, kEnd);
        ebm_gemm_slot<!TB, TILE, BK, THREADS>(t, i, r, cc);
        rb[i] = ebm_gemm_load<!TB>(b, ldb, n0 + r, k0 + cc, n, kEnd);
    }
}

// The fetched registers into the k-major shared tiles as[k][row], bs[k][col] (rows of LD floats).
template <bool TA, bool TB, unsigned TILE, unsigned BK, unsigned THREADS, unsigned LD>
__device__ __forceinline__ void ebm_gemm_stash(float* as, float* bs, unsigned t, const float* ra, const float* rb) {
#pragma unroll
    for (unsigned i = 0; i < TILE * BK / THREADS; i++) {
        unsigned r, cc;
        ebm_gemm_slot<TA, TILE, BK, THREADS>(t, i, r, cc);
        as[cc * LD + r] = ra[i];
        ebm_gemm_slot<!TB, TILE, BK, THREADS>(t, i, r, cc);
        bs[cc * LD + r] = rb[i];
    }
}

// One step of the k loop before the multiply: once every thread is done reading the previous slice,
// the registers fetched for the slice at k0 go to the shared tiles, and while the block multiplies
// that slice the next one (at k0 + BK, when it is below kEnd) is fetched into the same registers.
template <bool TA, bool TB, unsigned TILE, unsigned BK, unsigned THREADS, unsigned LD>
__device__ __forceinline__ void ebm_gemm_stage(float* as, float* bs, const float* a, unsigned lda, const float* b,
                                               unsigned ldb, unsigned m, unsigned n, unsigned m0, unsigned n0,
                                               unsigned k0, unsigned kEnd, unsigned t, float* ra, float* rb) {
    __syncthreads();  // everyone is done reading the previous slice
    ebm_gemm_stash<TA, TB, TILE, BK, THREADS, LD>(as, bs, t, ra, rb);
    __syncthreads();
    if (k0 + BK < kEnd) {
        ebm_gemm_fetch<TA, TB, TILE, BK, THREADS>(a, lda, b, ldb, m, n, m0, n0, k0 + BK, kEnd, t, ra, rb);
    }
}

// A thread's R x C register block, cleared.
template <int R, int C>
__device__ __forceinline__ void ebm_gemm_clear(float (&acc)[R][C]) {
#pragma unroll
    for (int i = 0; i < R; i++) {
#pragma unroll
        for (int j = 0; j < C; j++) acc[i][j] = 0.0f;
    }
}

// C[row][col] = alpha * sum + beta * C[row][col] (row-major, leading dimension ldc); with beta == 0
// C is not read, so NaN there does not propagate, as in BLAS.
__device__ __forceinline__ void ebm_gemm_store(float* c, unsigned long long row, unsigned ldc, unsigned long long col,
                                               float alpha, float beta, float sum) {
    float* cp = c + row * ldc + col;
    float v = alpha * sum;
    *cp = beta == 0.0f ? v : v + beta * *cp;
}

#endif
