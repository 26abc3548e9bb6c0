// The kernels that synchronize through shared memory (SGEMM, the reduction trees), run with one
// std::thread per CUDA thread; built with -fsanitize=thread by KernelEmulationTest, which fails
// on any ThreadSanitizer report. Results are also checked against double references.
//
//   race_tests           the kernels; ThreadSanitizer must stay silent
//   race_tests demo      a kernel with a missing __syncthreads(): ThreadSanitizer must report it,
//                        which shows that the check above can fail
#include <algorithm>
#include <cfloat>

#include "test_support.h"
#include "../../main/cuda/reduce.cu"
#include "../../main/cuda/sgemm.cu"
#include "../../main/cuda/sgemm2.cu"

using namespace ebmtest;

// Reads shared memory another thread wrote, with no __syncthreads() in between.
extern "C" __global__ void racy_shift(const float* in, float* out) {
    __shared__ float tile[64];
    tile[threadIdx.x] = in[threadIdx.x];
    out[threadIdx.x] = tile[(threadIdx.x + 1) % 64];
}

// v2 (true) runs in two k-slices of 16 through the workspace and sgemm_splitk_reduce.
static void check_sgemm(bool ta, bool tb, unsigned m, unsigned n, unsigned k, bool v2 = false) {
    unsigned lda = ta ? m : k, ldb = tb ? k : n;
    std::vector<float> a = random_floats((size_t)m * k, -1, 1, m + k), b = random_floats((size_t)k * n, -1, 1, n + k);
    std::vector<float> c = random_floats((size_t)m * n, -1, 1, m + n), c0 = c;
    if (v2) {
        unsigned slices = (k + 15) / 16;
        std::vector<float> ws((size_t)slices * m * n);
        dim3 grid((m + EBM_GEMM2_BM - 1) / EBM_GEMM2_BM, (n + EBM_GEMM2_BN - 1) / EBM_GEMM2_BN, slices);
        auto kernel = !ta ? (!tb ? sgemm2_nn : sgemm2_nt) : (!tb ? sgemm2_tn : sgemm2_tt);
        emu::launch_sync(grid, dim3(EBM_GEMM2_THREADS), kernel, m, n, k, 1.5f, (const float*)a.data(), lda,
                         (const float*)b.data(), ldb, 0.5f, c.data(), n, 16u, ws.data());
        emu::launch(dim3(2), dim3(64), sgemm_splitk_reduce, m, n, slices, (const float*)ws.data(), 1.5f, 0.5f, c.data(), n);
    } else {
        dim3 grid((m + EBM_GEMM_BM - 1) / EBM_GEMM_BM, (n + EBM_GEMM_BN - 1) / EBM_GEMM_BN), block(EBM_GEMM_THREADS);
        auto kernel = !ta ? (!tb ? sgemm_nn : sgemm_nt) : (!tb ? sgemm_tn : sgemm_tt);
        emu::launch_sync(grid, block, kernel, m, n, k, 1.5f, (const float*)a.data(), lda, (const float*)b.data(), ldb, 0.5f,
                         c.data(), n);
    }
    int bad = 0;
    for (unsigned i = 0; i < m; i++)
        for (unsigned j = 0; j < n; j++) {
            GemmReference ref = gemm_reference(ta, tb, i, j, k, a.data(), lda, b.data(), ldb);
            double want = 1.5 * ref.sum + 0.5 * c0[(size_t)i * n + j];
            bad += !(std::fabs(c[(size_t)i * n + j] - want) <= (k + 3) * FLT_EPSILON * (1.5 * ref.magnitude + 1));
        }
    report(bad == 0, fmt("sgemm%s_%c%c %ux%ux%u under threads", v2 ? "2" : "", ta ? 't' : 'n', tb ? 't' : 'n', m, n, k),
           fmt("%d mismatches", bad));
}

int main(int argc, char** argv) {
    if (argc > 1 && std::string(argv[1]) == "demo") {
        std::vector<float> in(64, 1.0f), out(64);
        emu::launch_sync(dim3(2), dim3(64), racy_shift, (const float*)in.data(), out.data());
        std::printf("demo ran: ThreadSanitizer must have reported a data race above\n");
        return 0;
    }
    for (int t = 0; t < 4; t++) check_sgemm(t & 2, t & 1, 65, 63, 17);
    for (int t = 0; t < 4; t++) check_sgemm(t & 2, t & 1, 130, 70, 33, true);

    const unsigned rows = 3, cols = 150;
    std::vector<float> x = random_floats(rows * cols, -1, 1, 1), out(rows);
    emu::launch_sync(dim3(2), dim3(EBM_REDUCE_THREADS), row_sums, (const float*)x.data(), rows, cols, out.data());
    int bad = 0;
    for (unsigned r = 0; r < rows; r++) {
        double s = 0, mag = 0;
        for (unsigned j = 0; j < cols; j++) { s += x[r * cols + j]; mag += std::fabs(x[r * cols + j]); }
        bad += !(std::fabs(out[r] - s) <= 1e-6 * mag);
    }
    report(bad == 0, "row_sums 3x150 under threads", fmt("%d mismatches", bad));

    const unsigned n = 1000, blocks = 3;
    std::vector<float> a = random_floats(n, -1, 1, 2), b = random_floats(n, -1, 1, 3);
    std::vector<double> partial(blocks), result(1);
    emu::launch_sync(dim3(blocks), dim3(EBM_REDUCE_THREADS), sum_partial, (const float*)a.data(), (const float*)b.data(), n,
                     partial.data());
    emu::launch_sync(dim3(1), dim3(EBM_REDUCE_THREADS), sum_finish, (const double*)partial.data(), blocks, result.data());
    double dot = 0;
    for (unsigned i = 0; i < n; i++) dot += (double)a[i] * b[i];
    report(std::fabs(result[0] - dot) <= 1e-12 * n, "dot 1000 under threads", fmt("%.17g vs %.17g", result[0], dot));
    return summary();
}
