// Reporting and data helpers shared by the kernel test programs.
#ifndef EBM_TEST_SUPPORT_H
#define EBM_TEST_SUPPORT_H

#include <cmath>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace ebmtest {

inline int passed = 0, failed = 0;

inline void report(bool ok, const std::string& name, const std::string& detail) {
    std::printf("%s %s%s%s\n", ok ? "PASS" : "FAIL", name.c_str(), detail.empty() ? "" : ": ", detail.c_str());
    std::fflush(stdout);
    (ok ? passed : failed)++;
}

inline std::string fmt(const char* f, ...) __attribute__((format(printf, 1, 2)));
inline std::string fmt(const char* f, ...) {
    char buf[512];
    va_list ap;
    va_start(ap, f);
    std::vsnprintf(buf, sizeof buf, f, ap);
    va_end(ap);
    return buf;
}

inline bool same_bits(float a, float b) {
    uint32_t x, y;
    std::memcpy(&x, &a, 4);
    std::memcpy(&y, &b, 4);
    return x == y || (std::isnan(a) && std::isnan(b));
}

inline std::vector<float> random_floats(size_t n, float lo, float hi, uint32_t seed) {
    std::mt19937 g(seed);
    std::uniform_real_distribution<float> d(lo, hi);
    std::vector<float> v(n);
    for (auto& x : v) x = d(g);
    return v;
}

// Element (i, j) of op(A) op(B) summed in double, with the sum of its terms' magnitudes: a float
// GEMM's rounding error at (i, j) is bounded by about k * eps times that magnitude.
struct GemmReference {
    double sum, magnitude;
};

inline GemmReference gemm_reference(bool ta, bool tb, unsigned i, unsigned j, unsigned k, const float* a, unsigned lda,
                                    const float* b, unsigned ldb) {
    GemmReference r{0, 0};
    for (unsigned p = 0; p < k; p++) {
        double av = ta ? a[(size_t)p * lda + i] : a[(size_t)i * lda + p];
        double bv = tb ? b[(size_t)j * ldb + p] : b[(size_t)p * ldb + j];
        r.sum += av * bv;
        r.magnitude += std::fabs(av * bv);
    }
    return r;
}

inline int summary() {
    std::printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}

}  // namespace ebmtest

#endif
