// Checks every ebm4j kernel, compiled for the CPU through cuda_emu.h, against plain references.
//
//   kernel_tests selftest           all C++-side checks; prints PASS/FAIL lines and a summary
//   kernel_tests parity IN OUT      runs the sampler kernels on cases written by the Java test
//                                   (KernelParityTest) and writes their outputs for it to compare
//                                   with org.ebm4j.random.Philox and the Sampler spec
// (race_tests.cpp runs the __syncthreads() kernels again under ThreadSanitizer.)
//
// Exit status 0 only if every check passed.
#include <algorithm>
#include <array>
#include <cfloat>
#include <cmath>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <limits>
#include <random>
#include <string>
#include <vector>

// A deliberately worse expf than glibc's (off by up to 2 ulp either way, like CUDA's documented
// worst case), so that the fused sampler's tie re-check is exercised: its samples must still equal
// the Java spec's exactly.
static float ebm_test_expf(float x) {
    float e = std::exp(x);
    if (e == 0.0f || std::isinf(e) || std::isnan(e)) return e;  // keep exp's limits exact
    uint32_t bits;
    std::memcpy(&bits, &x, 4);
    float dir = (bits & 1u) ? INFINITY : 0.0f;
    return std::nextafter(std::nextafter(e, dir), dir);
}
#define EBM_EXPF(x) ebm_test_expf(x)

// The activation kernel's logarithms, likewise pushed 1 ulp off glibc's (CUDA's documented worst
// case for log1pf and logf), alternating direction with the argument's last bit.
static float ebm_test_ulp_off(float x, float r) {
    if (r == 0.0f || std::isinf(r) || std::isnan(r)) return r;  // keep the exact points exact
    uint32_t bits;
    std::memcpy(&bits, &x, 4);
    return std::nextafter(r, (bits & 1u) ? INFINITY : -INFINITY);
}
#define EBM_LOG1PF(x) ebm_test_ulp_off((x), log1pf(x))
#define EBM_LOGF(x) ebm_test_ulp_off((x), logf(x))

#include "test_support.h"
#include "../../main/cuda/elementwise.cu"
#include "../../main/cuda/reduce.cu"
#include "../../main/cuda/sampler.cu"
#include "../../main/cuda/sgemm.cu"
#include "../../main/cuda/sgemm2.cu"

namespace {

using namespace ebmtest;

// ---- plain references -----------------------------------------------------------------------

// Philox4x32-10 written out as in Salmon et al., independent of ebm_philox's code.
void ref_philox(uint32_t ctr[4], const uint32_t key[2]) {
    uint32_t k[2] = {key[0], key[1]};
    for (int round = 0; round < 10; round++) {
        uint64_t a = (uint64_t)0xD2511F53u * ctr[0];
        uint64_t b = (uint64_t)0xCD9E8D57u * ctr[2];
        uint32_t n0 = (uint32_t)(b >> 32) ^ ctr[1] ^ k[0];
        uint32_t n1 = (uint32_t)b;
        uint32_t n2 = (uint32_t)(a >> 32) ^ ctr[3] ^ k[1];
        uint32_t n3 = (uint32_t)a;
        ctr[0] = n0; ctr[1] = n1; ctr[2] = n2; ctr[3] = n3;
        k[0] += 0x9E3779B9u;
        k[1] += 0xBB67AE85u;
    }
}

uint32_t ref_word(uint64_t seed, uint32_t stream, uint64_t draw, uint64_t block, int word) {
    uint32_t ctr[4] = {(uint32_t)block, (uint32_t)draw, (uint32_t)(draw >> 32), stream};
    uint32_t key[2] = {(uint32_t)seed, (uint32_t)(seed >> 32)};
    ref_philox(ctr, key);
    return ctr[word];
}

float ref_uniform(uint64_t seed, uint32_t stream, uint64_t draw, uint64_t e) {
    return (float)(ref_word(seed, stream, draw, e / 4, (int)(e % 4)) >> 8) * 0x1p-24f;
}

float ref_normal(uint64_t seed, uint32_t stream, uint64_t draw, uint64_t e) {
    uint32_t a = ref_word(seed, stream, draw, e / 2, (int)(2 * (e % 2)));
    uint32_t b = ref_word(seed, stream, draw, e / 2, (int)(2 * (e % 2) + 1));
    float u1 = (float)((a >> 8) + 1) * 0x1p-24f;
    float u2 = (float)(b >> 8) * 0x1p-24f;
    float r = (float)std::sqrt((double)(-2.0f * (float)std::log((double)u1)));
    return r * (float)std::cos((double)((float)(2.0 * M_PI) * u2));
}

float ref_sigmoid(float z) { return 1.0f / (1.0f + (float)std::exp((double)-z)); }

// Launch shapes like the Java backend's, but with a small grid so grid-stride loops wrap.
const dim3 kBlock(64);
const dim3 kGrid(3);

// ---- Philox --------------------------------------------------------------------------------

void test_philox_kat() {
    struct Kat { uint32_t ctr[4]; uint32_t key[2]; uint32_t expect[4]; } kats[] = {
        {{0, 0, 0, 0}, {0, 0}, {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}},
        {{0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}, {0xffffffff, 0xffffffff},
         {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}},
        {{0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}, {0xa4093822, 0x299f31d0},
         {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}},
    };
    for (int i = 0; i < 3; i++) {
        const Kat& k = kats[i];
        EbmWords w = ebm_philox(k.ctr[0], k.ctr[1], k.ctr[2], k.ctr[3], k.key[0], k.key[1]);
        uint32_t r[4] = {k.ctr[0], k.ctr[1], k.ctr[2], k.ctr[3]};
        ref_philox(r, k.key);
        // Through the kernel and the stream layout: quad = c0, draw = (c1, c2), stream = c3.
        uint32_t out[4];
        uint64_t seed = ((uint64_t)k.key[1] << 32) | k.key[0];
        uint64_t draw = ((uint64_t)k.ctr[2] << 32) | k.ctr[1];
        emu::launch(dim3(1), dim3(1), philox_words, seed, k.ctr[3], draw, k.ctr[0], 1u, out);
        bool ok = true;
        for (int j = 0; j < 4; j++) {
            ok &= ebm_word(w, j) == k.expect[j] && r[j] == k.expect[j] && out[j] == k.expect[j];
        }
        report(ok, fmt("philox known-answer vector %d", i + 1),
               fmt("device %08x %08x %08x %08x, kernel %08x %08x %08x %08x", w.x0, w.x1, w.x2, w.x3,
                   out[0], out[1], out[2], out[3]));
    }
}

// ---- sampler kernels --------------------------------------------------------------------------

void test_fill_uniform() {
    const uint64_t seed = 0x123456789abcdefULL;
    for (unsigned n : {1u, 3u, 4u, 5u, 1001u}) {
        std::vector<float> out(n, -1.0f);
        emu::launch(kGrid, kBlock, fill_uniform, out.data(), n, seed, 7u, (unsigned long long)42);
        int bad = 0;
        for (unsigned e = 0; e < n; e++) bad += !same_bits(out[e], ref_uniform(seed, 7, 42, e));
        report(bad == 0, fmt("fill_uniform n=%u matches the Philox layout", n), fmt("%d mismatches", bad));
    }
    // Statistics: 100,000 uniforms have mean 1/2 within 5 standard errors (sd 1/sqrt(12)).
    const unsigned n = 100000;
    std::vector<float> out(n);
    emu::launch(dim3(40), dim3(256), fill_uniform, out.data(), n, seed, 0u, (unsigned long long)0);
    double mean = 0, lo = 1, hi = 0;
    for (float v : out) { mean += v; lo = std::min(lo, (double)v); hi = std::max(hi, (double)v); }
    mean /= n;
    double se = std::sqrt(1.0 / 12.0 / n);
    report(std::fabs(mean - 0.5) < 5 * se && lo >= 0 && hi < 1, "fill_uniform statistics",
           fmt("mean %.5f (se %.5f), range [%g, %g]", mean, se, lo, hi));
}

void test_fill_normal() {
    const uint64_t seed = 99;
    for (unsigned n : {1u, 2u, 3u, 999u}) {
        std::vector<float> out(n);
        emu::launch(kGrid, kBlock, fill_normal, out.data(), n, 1.5f, 2.0f, seed, 3u, (unsigned long long)5);
        int bad = 0;
        for (unsigned e = 0; e < n; e++) bad += !same_bits(out[e], 1.5f + 2.0f * ref_normal(seed, 3, 5, e));
        report(bad == 0, fmt("fill_normal n=%u matches Box-Muller on the Philox layout", n), fmt("%d mismatches", bad));
    }
    const unsigned n = 100000;
    std::vector<float> out(n);
    emu::launch(dim3(40), dim3(256), fill_normal, out.data(), n, 0.0f, 1.0f, seed, 0u, (unsigned long long)1);
    double m = 0, v = 0;
    for (float x : out) m += x;
    m /= n;
    for (float x : out) v += (x - m) * (x - m);
    v /= (n - 1);
    // se(mean) = 1/sqrt(n); se(variance) = sqrt(2/(n-1)) for a normal sample.
    report(std::fabs(m) < 5 / std::sqrt((double)n) && std::fabs(v - 1) < 5 * std::sqrt(2.0 / (n - 1)),
           "fill_normal statistics", fmt("mean %.5f, variance %.5f", m, v));
}

void test_sample_bernoulli() {
    const unsigned n = 1003;
    std::vector<float> probs = random_floats(n, -0.2f, 1.2f, 1);
    probs[5] = NAN;
    probs[6] = INFINITY;
    probs[7] = -INFINITY;
    probs[8] = 0.0f;
    probs[9] = 1.0f;
    std::vector<float> out(n, -1.0f);
    emu::launch(kGrid, kBlock, sample_bernoulli, probs.data(), out.data(), n, 5ULL, 1u, (unsigned long long)9);
    int bad = 0;
    for (unsigned e = 0; e < n; e++) {
        float expect = ref_uniform(5, 1, 9, e) < probs[e] ? 1.0f : 0.0f;
        bad += out[e] != expect;
    }
    bool special = out[5] == 0 && out[6] == 1 && out[7] == 0 && out[8] == 0 && out[9] == 1;
    report(bad == 0 && special, "sample_bernoulli: u < p, saturating, NaN gives 0", fmt("%d mismatches", bad));
    // In place (out aliases probs).
    std::vector<float> inplace = probs;
    emu::launch(kGrid, kBlock, sample_bernoulli, inplace.data(), inplace.data(), n, 5ULL, 1u, (unsigned long long)9);
    report(inplace == out, "sample_bernoulli in place", "");
}

void test_sample_sigmoid_bernoulli() {
    const uint64_t seed = 2024;
    for (auto shape : {std::pair<unsigned, unsigned>{1, 1}, {3, 5}, {7, 33}, {20, 50}}) {
        unsigned rows = shape.first, cols = shape.second, n = rows * cols;
        std::vector<float> x = random_floats(n, -6, 6, n), bias = random_floats(cols, -1, 1, cols + 7);
        if (n > 10) { x[3] = NAN; x[4] = INFINITY; x[5] = -INFINITY; }
        for (int withBias = 0; withBias < 2; withBias++) {
            const float scale = 0.7f;
            std::vector<float> probs(n, -1), samples(n, -1);
            emu::launch(kGrid, kBlock, sample_sigmoid_bernoulli, (const float*)x.data(),
                        withBias ? (const float*)bias.data() : (const float*)nullptr, scale, probs.data(),
                        samples.data(), rows, cols, seed, 2u, (unsigned long long)11);
            int badS = 0, badP = 0;
            for (unsigned e = 0; e < n; e++) {
                float z = scale * (withBias ? x[e] + bias[e % cols] : x[e]);
                float p = ref_sigmoid(z);
                float s = ref_uniform(seed, 2, 11, e) < p ? 1.0f : 0.0f;
                badS += samples[e] != s;
                bool closeP = std::isnan(p) ? std::isnan(probs[e]) : std::fabs(probs[e] - p) <= 4 * FLT_EPSILON * p;
                badP += !closeP;
            }
            report(badS == 0 && badP == 0,
                   fmt("sample_sigmoid_bernoulli %ux%u %s bias", rows, cols, withBias ? "with" : "without"),
                   fmt("%d sample and %d probability mismatches", badS, badP));
            // probs null and samples aliasing x must give the same samples.
            std::vector<float> alias = x;
            emu::launch(kGrid, kBlock, sample_sigmoid_bernoulli, (const float*)alias.data(),
                        withBias ? (const float*)bias.data() : (const float*)nullptr, scale, (float*)nullptr,
                        alias.data(), rows, cols, seed, 2u, (unsigned long long)11);
            report(alias == samples, fmt("sample_sigmoid_bernoulli %ux%u samples-only, in place", rows, cols), "");
        }
    }
}

// Inputs placed on the tie u == sigmoid(z): the perturbed expf flips many fast decisions, the
// re-check must restore every one of them.
void test_tie_recheck() {
    const uint64_t seed = 77;
    const unsigned n = 4000;
    std::vector<float> x(n), samples(n), probs(n);
    for (unsigned e = 0; e < n; e++) {
        double u = ref_uniform(seed, 0, 3, e);
        u = std::min(std::max(u, 1e-6), 1 - 1e-6);
        float z = (float)std::log(u / (1 - u));
        int steps = (int)(e % 7) - 3;  // a few ulps either side of the tie
        for (int s = 0; s < std::abs(steps); s++) z = std::nextafter(z, steps > 0 ? INFINITY : -INFINITY);
        x[e] = z;
    }
    emu::launch(kGrid, kBlock, sample_sigmoid_bernoulli, (const float*)x.data(), (const float*)nullptr, 1.0f,
                probs.data(), samples.data(), 1u, n, seed, 0u, (unsigned long long)3);
    int bad = 0, fastDiffers = 0;
    for (unsigned e = 0; e < n; e++) {
        float u = ref_uniform(seed, 0, 3, e);
        float exact = u < ref_sigmoid(x[e]) ? 1.0f : 0.0f;
        float fastOnly = u < ebm_sigmoid_fast(x[e]) ? 1.0f : 0.0f;
        bad += samples[e] != exact;
        fastDiffers += fastOnly != exact;
    }
    report(bad == 0 && fastDiffers > 0, "fused sampler tie re-check",
           fmt("fast-only decisions wrong on %d of %u tie inputs, re-checked decisions wrong on %d", fastDiffers, n, bad));
}

void test_sample_gaussian() {
    const unsigned rows = 9, cols = 7, n = rows * cols;
    std::vector<float> mean = random_floats(n, -3, 3, 4), bias = random_floats(cols, -1, 1, 5);
    for (int withBias = 0; withBias < 2; withBias++) {
        std::vector<float> out(n);
        emu::launch(kGrid, kBlock, sample_gaussian, (const float*)mean.data(),
                    withBias ? (const float*)bias.data() : (const float*)nullptr, 0.5f, out.data(), rows, cols,
                    11ULL, 4u, (unsigned long long)8);
        int bad = 0;
        for (unsigned e = 0; e < n; e++) {
            float m = withBias ? mean[e] + bias[e % cols] : mean[e];
            bad += !same_bits(out[e], m + 0.5f * ref_normal(11, 4, 8, e));
        }
        std::vector<float> alias = mean;
        emu::launch(kGrid, kBlock, sample_gaussian, (const float*)alias.data(),
                    withBias ? (const float*)bias.data() : (const float*)nullptr, 0.5f, alias.data(), rows, cols,
                    11ULL, 4u, (unsigned long long)8);
        report(bad == 0 && alias == out, fmt("sample_gaussian %s bias (and in place)", withBias ? "with" : "without"),
               fmt("%d mismatches", bad));
    }
}

// A general Boltzmann machine: W symmetric with zero diagonal, field = state * W + bias.
void test_update_unit() {
    const unsigned chains = 37, n = 11;
    std::vector<float> w(n * n), bias = random_floats(n, -0.5f, 0.5f, 8);
    std::mt19937 g(3);
    std::uniform_real_distribution<float> d(-1, 1);
    for (unsigned i = 0; i < n; i++)
        for (unsigned j = 0; j <= i; j++) w[i * n + j] = w[j * n + i] = (i == j) ? 0.0f : d(g);
    for (int mode = 0; mode < 3; mode++) {  // threshold (-1,+1); stochastic (0,1) T=0.8; stochastic with clamps
        bool stochastic = mode > 0;
        float low = mode == 0 ? -1.0f : 0.0f, high = 1.0f, invT = stochastic ? 1.0f / 0.8f : INFINITY;
        std::vector<float> state(chains * n), clamp(chains * n, 0.0f);
        for (auto& s : state) s = (g() & 1) ? high : low;
        if (mode == 2)
            for (unsigned i = 0; i < chains * n; i += 3) clamp[i] = 1.0f;
        auto field_of = [&](const std::vector<float>& st) {
            std::vector<float> f(chains * n);
            for (unsigned r = 0; r < chains; r++)
                for (unsigned j = 0; j < n; j++) {
                    double acc = bias[j];
                    for (unsigned i = 0; i < n; i++) acc += (double)st[r * n + i] * w[i * n + j];
                    f[r * n + j] = (float)acc;
                }
            return f;
        };
        const std::vector<float> initial = state;
        std::vector<float> field = field_of(state), delta(chains);
        std::vector<float> refState = state, refField = field;
        int bad = 0;
        double worstField = 0;
        for (unsigned sweep = 0; sweep < 3; sweep++) {
            for (unsigned unit = 0; unit < n; unit++) {
                unsigned long long draw = sweep * n + unit;
                emu::launch(kGrid, kBlock, unit_decide, state.data(), (const float*)field.data(),
                            mode == 2 ? (const float*)clamp.data() : (const float*)nullptr, delta.data(), chains, n,
                            unit, (int)stochastic, low, high, invT, 21ULL, 6u, draw);
                emu::launch(kGrid, kBlock, unit_field_update, field.data(), (const float*)w.data(),
                            (const float*)delta.data(), chains, n, unit);
                for (unsigned r = 0; r < chains; r++) {  // the spec, chain by chain
                    unsigned idx = r * n + unit;
                    if (mode == 2 && clamp[idx] != 0) continue;
                    float h = refField[idx], v;
                    if (stochastic) {
                        float p = 1.0f / (1.0f + (float)std::exp((double)-((high - low) * h * invT)));
                        v = ref_uniform(21, 6, draw, r) < p ? high : low;
                    } else {
                        v = h >= 0 ? high : low;
                    }
                    float dd = v - refState[idx];
                    refState[idx] = v;
                    if (dd != 0)
                        for (unsigned j = 0; j < n; j++) refField[r * n + j] = refField[r * n + j] + dd * w[unit * n + j];
                }
                for (unsigned i = 0; i < chains * n; i++) bad += state[i] != refState[i] || !same_bits(field[i], refField[i]);
            }
            std::vector<float> exact = field_of(state);
            for (unsigned i = 0; i < chains * n; i++) worstField = std::max(worstField, (double)std::fabs(exact[i] - field[i]));
        }
        bool clampsKept = true;
        for (unsigned i = 0; i < chains * n; i++) clampsKept &= clamp[i] == 0 || state[i] == initial[i];
        report(bad == 0 && worstField < 1e-4 && clampsKept,
               fmt("update_unit %s", mode == 0 ? "threshold(-1,+1)" : mode == 1 ? "stochastic(0,1,T=0.8)" : "stochastic with clamped units"),
               fmt("%d mismatches with the spec; field invariant off by at most %.2g", bad, worstField));
    }
}

void test_leapfrog() {
    // U(q) = 1/2 sum a_j q_j^2, K(p) = 1/2 sum invMass_j p_j^2: a harmonic oscillator per coordinate
    // with frequency w_j = sqrt(a_j invMass_j).
    const unsigned rows = 6, cols = 5;
    const float a[cols] = {1.0f, 2.0f, 0.5f, 4.0f, 1.5f};
    const float invMass[cols] = {1.0f, 0.5f, 2.0f, 1.0f, 0.25f};
    double wmax = 0;
    for (unsigned j = 0; j < cols; j++) wmax = std::max(wmax, std::sqrt((double)a[j] * invMass[j]));
    std::vector<float> q0 = random_floats(rows * cols, -1, 1, 12), p0 = random_floats(rows * cols, -1, 1, 13);
    auto energy = [&](const std::vector<float>& q, const std::vector<float>& p, unsigned r) {
        double h = 0;
        for (unsigned j = 0; j < cols; j++) {
            double qq = q[r * cols + j], pp = p[r * cols + j];
            h += 0.5 * a[j] * qq * qq + 0.5 * invMass[j] * pp * pp;
        }
        return h;
    };
    auto trajectory = [&](std::vector<float>& q, std::vector<float>& p, float eps, int steps) {
        std::vector<float> grad(rows * cols);
        auto gradient = [&] { for (unsigned i = 0; i < rows * cols; i++) grad[i] = a[i % cols] * q[i]; };
        gradient();
        emu::launch(kGrid, kBlock, leapfrog, q.data(), p.data(), (const float*)grad.data(), invMass, eps / 2, eps, rows, cols);
        for (int s = 1; s < steps; s++) {
            gradient();
            emu::launch(kGrid, kBlock, leapfrog, q.data(), p.data(), (const float*)grad.data(), invMass, eps, eps, rows, cols);
        }
        gradient();
        emu::launch(kGrid, kBlock, leapfrog, q.data(), p.data(), (const float*)grad.data(), invMass, eps / 2, 0.0f, rows, cols);
    };
    const float T = 2.0f;
    double err[2];
    bool bounded = true;
    for (int h = 0; h < 2; h++) {
        float eps = h == 0 ? 0.1f : 0.05f;
        std::vector<float> q = q0, p = p0;
        trajectory(q, p, eps, (int)std::lround(T / eps));
        err[h] = 0;
        for (unsigned r = 0; r < rows; r++) {
            double h0 = energy(q0, p0, r), dh = std::fabs(energy(q, p, r) - h0);
            err[h] = std::max(err[h], dh);
            // For a harmonic oscillator leapfrog's energy error is at most (eps w)^2 H0 when eps w < 1.
            bounded &= dh <= eps * eps * wmax * wmax * h0;
        }
    }
    double ratio = err[0] / err[1];
    report(bounded && ratio > 3.0 && ratio < 5.0, "leapfrog energy error is O(eps^2)",
           fmt("max |dH| %.3g at eps 0.1, %.3g at eps 0.05 (ratio %.2f, 4 expected)", err[0], err[1], ratio));

    std::vector<float> q = q0, p = p0;
    trajectory(q, p, 0.1f, 20);
    for (auto& v : p) v = -v;
    trajectory(q, p, 0.1f, 20);
    double worst = 0;
    for (unsigned i = 0; i < rows * cols; i++) {
        worst = std::max(worst, (double)std::fabs(q[i] - q0[i]));
        worst = std::max(worst, (double)std::fabs(-p[i] - p0[i]));
    }
    report(worst < 1e-5, "leapfrog is reversible (20 steps forward, momentum flipped, 20 back)",
           fmt("max deviation %.3g", worst));

    // invMass null is the identity.
    std::vector<float> qa = q0, pa = p0, grad = random_floats(rows * cols, -1, 1, 14);
    emu::launch(kGrid, kBlock, leapfrog, qa.data(), pa.data(), (const float*)grad.data(), (const float*)nullptr, 0.3f,
                0.2f, rows, cols);
    int bad = 0;
    for (unsigned i = 0; i < rows * cols; i++) {
        float pn = p0[i] - 0.3f * grad[i];
        bad += !same_bits(pa[i], pn) || !same_bits(qa[i], q0[i] + 0.2f * pn);
    }
    report(bad == 0, "leapfrog with identity mass matches p -= kick*grad; q += drift*p", fmt("%d mismatches", bad));

    // A zero kick leaves p alone and a zero drift leaves q alone, even against NaN and infinities.
    float qz[3] = {1.0f, -2.0f, 3.0f}, pz[3] = {0.5f, INFINITY, -1.0f}, gz[3] = {NAN, 1.0f, 2.0f};
    emu::launch(dim3(1), dim3(4), leapfrog, qz, pz, (const float*)gz, (const float*)nullptr, 0.5f, 0.0f, 1u, 3u);
    bool halfKick = qz[0] == 1.0f && qz[1] == -2.0f && qz[2] == 3.0f && std::isnan(pz[0]) && pz[1] == INFINITY && pz[2] == -2.0f;
    float pd[3] = {1.0f, 2.0f, 3.0f}, mass[3] = {1.0f, 0.5f, 2.0f};
    emu::launch(dim3(1), dim3(4), leapfrog, qz, pd, (const float*)gz, (const float*)mass, 0.0f, 0.25f, 1u, 3u);
    bool pureDrift = pd[0] == 1.0f && pd[1] == 2.0f && pd[2] == 3.0f && qz[0] == 1.25f && qz[1] == -1.75f && qz[2] == 4.5f;
    report(halfKick && pureDrift, "leapfrog: zero drift leaves q, zero kick leaves p untouched (NaN/inf gradients)", "");
}

void test_metropolis() {
    const unsigned chains = 41, cols = 6;
    std::vector<float> current = random_floats(chains * cols, -1, 1, 20), proposal = random_floats(chains * cols, -1, 1, 21);
    std::vector<float> ec = random_floats(chains, 0, 3, 22), ep = random_floats(chains, 0, 3, 23);
    ep[0] = NAN; ep[1] = INFINITY; ep[2] = -INFINITY; ec[3] = INFINITY; ec[4] = NAN;
    std::vector<float> cur = current, e = ec, acc(chains, -1);
    emu::launch(kGrid, kBlock, metropolis_decide, e.data(), (const float*)ep.data(), acc.data(), chains, 31ULL, 2u,
                (unsigned long long)17);
    emu::launch(kGrid, kBlock, metropolis_copy, cur.data(), (const float*)proposal.data(), (const float*)acc.data(), chains, cols);
    int bad = 0, accepted = 0;
    for (unsigned r = 0; r < chains; r++) {
        float u = ref_uniform(31, 2, 17, r);
        bool ok = !std::isnan(ep[r]) && ep[r] != INFINITY && u < (float)std::exp((double)(ec[r] - ep[r]));
        accepted += ok;
        bad += acc[r] != (ok ? 1.0f : 0.0f) || !same_bits(e[r], ok ? ep[r] : ec[r]);
        for (unsigned j = 0; j < cols; j++) bad += cur[r * cols + j] != (ok ? proposal : current)[r * cols + j];
    }
    bool special = acc[0] == 0 && acc[1] == 0 && acc[2] == 1 && acc[3] == 1 && acc[4] == 0;
    report(bad == 0 && special && accepted > 0 && accepted < (int)chains, "metropolis select",
           fmt("%d mismatches, %d of %u accepted", bad, accepted, chains));
}

// ---- elementwise ----------------------------------------------------------------------------

// The double definitions of org.ebm4j.tensor.Activation, written out again.
double ref_activation_value(int fn, double z) {
    if (fn == EBM_ACTIVATION_LOG1P_SQUARE) return std::log1p(z * z);
    return (z > 0 ? z : 0.0) + std::log1p(std::exp(-std::fabs(z)));  // Math.max(NaN, 0) is NaN: so is this sum
}

double ref_activation_derivative(int fn, double z) {
    if (fn == EBM_ACTIVATION_LOG1P_SQUARE) return 2.0 * z / (1.0 + z * z);
    return z >= 0 ? 1.0 / (1.0 + std::exp(-z)) : std::exp(z) / (1.0 + std::exp(z));
}

// The activation kernel against the double definitions, with TensorOpsContract's tolerance: 8 float
// ulps relative, plus what rounding z = x + bias to float can move the result (|f'(z)| h for the
// value, the change of f' over +-h for the derivative, h = |z| 2^-23; h = 0 without a bias, where z
// is exact), plus 1e-30 for subnormal results. Non-finite inputs must give exactly the definition's
// value (+-inf, 0, 1) or NaN where it is NaN. Runs value and derivative together, each alone, and
// value in place over x, for both functions, with and without a bias, on random z in [-30, 30] and on
// the edge values.
void test_activation() {
    const unsigned rows = 7, cols = 31, n = rows * cols;
    const float edges[] = {0.0f, -0.0f, 1e-20f, -1e-20f, 1e-10f, -1e-10f, 1e-4f, -1e-4f, 1e-2f, -1e-2f, 88.0f, -88.0f,
                           100.0f, -100.0f, 4096.0f, -4096.0f, 1e4f, -1e4f, 4294967296.0f, 4294967808.0f, -4294967808.0f,
                           1e20f, -1e20f, FLT_MAX, -FLT_MAX, INFINITY, -INFINITY, NAN};
    const unsigned nEdges = sizeof edges / sizeof edges[0];
    const int fns[] = {EBM_ACTIVATION_SOFTPLUS, EBM_ACTIVATION_LOG1P_SQUARE};
    const char* names[] = {"softplus", "log1p_square"};
    std::vector<float> x0 = random_floats(n, -30, 30, 40), bias = random_floats(cols, -3, 3, 41);
    for (unsigned e = 0; e < nEdges; e++) x0[3 * e + 1] = edges[e];  // spread over rows and columns
    for (int f = 0; f < 2; f++) {
        for (int withBias = 0; withBias < 2; withBias++) {
            const float* b = withBias ? bias.data() : nullptr;
            std::vector<double> wantV(n), wantD(n), tolV(n), tolD(n);
            for (unsigned i = 0; i < n; i++) {
                double z = withBias ? (double)x0[i] + (double)bias[i % cols] : (double)x0[i];
                double h = withBias ? std::fabs(z) * 0x1p-23 : 0.0;
                wantV[i] = ref_activation_value(fns[f], z);
                wantD[i] = ref_activation_derivative(fns[f], z);
                tolV[i] = 8 * 0x1p-24 * std::fabs(wantV[i]) + std::fabs(wantD[i]) * h + 1e-30;
                double slope = std::fabs(ref_activation_derivative(fns[f], z + h) - ref_activation_derivative(fns[f], z - h)) / 2;
                tolD[i] = 8 * 0x1p-24 * std::fabs(wantD[i]) + slope + 1e-30;
            }
            auto compare = [&](const std::vector<float>& got, const std::vector<double>& want, const std::vector<double>& tol,
                               std::string& first) {
                int bad = 0;
                for (unsigned i = 0; i < n; i++) {
                    bool ok = std::isnan(want[i]) ? std::isnan(got[i])
                              : std::isinf(want[i]) || !std::isfinite(tol[i]) ? (double)got[i] == want[i]
                              : std::fabs((double)got[i] - want[i]) <= tol[i];
                    if (!ok && bad++ == 0) {
                        double z = withBias ? (double)x0[i] + (double)bias[i % cols] : (double)x0[i];
                        first = fmt(", first at z=%.9g: got %.9g want %.17g (tolerance %.3g)", z, got[i], want[i], tol[i]);
                    }
                }
                return bad;
            };
            std::string label = fmt("activation %s %s bias", names[f], withBias ? "with" : "without");
            std::vector<float> v(n, -7.0f), d(n, -7.0f);
            std::string first;
            emu::launch(kGrid, kBlock, activation, (const float*)x0.data(), b, v.data(), d.data(), fns[f], rows, cols);
            int badV = compare(v, wantV, tolV, first);
            int badD = compare(d, wantD, tolD, first);
            report(badV == 0 && badD == 0, label + " value and derivative (8 ulp + z rounding, edges, NaN propagates)",
                   fmt("%d value and %d derivative mismatches%s", badV, badD, first.c_str()));

            std::vector<float> v1(n, -7.0f), d1(n, -7.0f);
            first.clear();
            emu::launch(kGrid, kBlock, activation, (const float*)x0.data(), b, v1.data(), (float*)nullptr, fns[f], rows, cols);
            emu::launch(kGrid, kBlock, activation, (const float*)x0.data(), b, (float*)nullptr, d1.data(), fns[f], rows, cols);
            int same = 0;
            for (unsigned i = 0; i < n; i++) same += same_bits(v1[i], v[i]) && same_bits(d1[i], d[i]);
            report(same == (int)n, label + " value alone and derivative alone equal the joint outputs",
                   fmt("%u of %u differ", n - same, n));

            std::vector<float> xv = x0, d2(n, -7.0f);
            emu::launch(kGrid, kBlock, activation, (const float*)xv.data(), b, xv.data(), d2.data(), fns[f], rows, cols);
            same = 0;
            for (unsigned i = 0; i < n; i++) same += same_bits(xv[i], v[i]) && same_bits(d2[i], d[i]);
            report(same == (int)n, label + " value in place over x (derivative beside it)", fmt("%u of %u differ", n - same, n));
        }
    }
}

void test_elementwise() {
    const unsigned rows = 13, cols = 29, n = rows * cols;
    std::vector<float> a = random_floats(n, -2, 2, 30), b = random_floats(n, -2, 2, 31), row = random_floats(cols, -1, 1, 32);
    a[7] = NAN;
    std::vector<float> out(n);
    auto check = [&](const char* name, const std::function<float(unsigned)>& expect) {
        int bad = 0;
        for (unsigned i = 0; i < n; i++) bad += !same_bits(out[i], expect(i));
        report(bad == 0, name, fmt("%d mismatches", bad));
    };
    emu::launch(kGrid, kBlock, fill_value, out.data(), n, 2.5f);
    check("fill_value", [&](unsigned) { return 2.5f; });
    emu::launch(kGrid, kBlock, copy_values, (const float*)a.data(), out.data(), n);
    check("copy_values", [&](unsigned i) { return a[i]; });
    emu::launch(kGrid, kBlock, add_row_vector, (const float*)a.data(), (const float*)row.data(), -0.5f, out.data(), rows, cols);
    check("add_row_vector", [&](unsigned i) { return a[i] + -0.5f * row[i % cols]; });
    emu::launch(kGrid, kBlock, add_values, (const float*)a.data(), (const float*)b.data(), out.data(), n);
    check("add_values", [&](unsigned i) { return a[i] + b[i]; });
    emu::launch(kGrid, kBlock, sub_values, (const float*)a.data(), (const float*)b.data(), out.data(), n);
    check("sub_values", [&](unsigned i) { return a[i] - b[i]; });
    emu::launch(kGrid, kBlock, mul_values, (const float*)a.data(), (const float*)b.data(), out.data(), n);
    check("mul_values", [&](unsigned i) { return a[i] * b[i]; });
    emu::launch(kGrid, kBlock, scale_values, 3.0f, (const float*)a.data(), out.data(), n);
    check("scale_values", [&](unsigned i) { return 3.0f * a[i]; });
    out = b;
    emu::launch(kGrid, kBlock, axpy_values, 0.25f, (const float*)a.data(), out.data(), n);
    check("axpy_values", [&](unsigned i) { return b[i] + 0.25f * a[i]; });
    emu::launch(kGrid, kBlock, threshold_values, (const float*)a.data(), 0.0f, -1.0f, 1.0f, out.data(), n);
    check("threshold_values (NaN gives below)", [&](unsigned i) { return a[i] >= 0.0f ? 1.0f : -1.0f; });
    // in place
    out = a;
    emu::launch(kGrid, kBlock, add_values, (const float*)out.data(), (const float*)b.data(), out.data(), n);
    check("add_values in place", [&](unsigned i) { return a[i] + b[i]; });

    for (int withBias = 0; withBias < 2; withBias++) {
        std::vector<float> x = random_floats(n, -20, 20, 33);
        x[1] = NAN; x[2] = INFINITY; x[3] = -INFINITY;
        emu::launch(kGrid, kBlock, sigmoid_bias, (const float*)x.data(),
                    withBias ? (const float*)row.data() : (const float*)nullptr, out.data(), rows, cols);
        int bad = 0;
        for (unsigned i = 0; i < n; i++) {
            float p = ref_sigmoid(withBias ? x[i] + row[i % cols] : x[i]);
            bad += std::isnan(p) ? !std::isnan(out[i]) : !(std::fabs(out[i] - p) <= 4 * FLT_EPSILON * p);
        }
        report(bad == 0, fmt("sigmoid_bias %s bias (within 4 ulp, NaN propagates)", withBias ? "with" : "without"),
               fmt("%d mismatches", bad));
    }

    test_activation();

    const unsigned srcRows = 10;
    std::vector<float> src = random_floats(srcRows * cols, -1, 1, 34), dst(4 * cols);
    std::vector<int> idx = {9, 0, 9, 4};
    emu::launch(kGrid, kBlock, gather_rows, (const float*)src.data(), (const int*)idx.data(), dst.data(), 4u, cols);
    int bad = 0;
    for (unsigned r = 0; r < 4; r++)
        for (unsigned j = 0; j < cols; j++) bad += dst[r * cols + j] != src[idx[r] * cols + j];
    report(bad == 0, "gather_rows", fmt("%d mismatches", bad));
}

// ---- reductions -----------------------------------------------------------------------------

bool close_to(double got, double want, double scale) {
    return std::fabs(got - want) <= 1e-6 * scale + 1e-30 || (std::isnan(got) && std::isnan(want)) || got == want;
}

void run_column_sums(const std::vector<float>& x, unsigned rows, unsigned cols, float alpha, float beta,
                     std::vector<float>& out) {
    // The host's choice (CudaBackend): enough chunks to fill the device, each at least 16 rows.
    unsigned rowsPerChunk = std::max(16u, (rows + 63u) / 64u);
    unsigned chunks = (rows + rowsPerChunk - 1) / rowsPerChunk;
    std::vector<double> partial((size_t)chunks * cols);
    emu::launch(dim3((cols + 63) / 64, chunks), dim3(64), column_sums_partial, x.data(), rows, cols, rowsPerChunk,
                partial.data());
    emu::launch(kGrid, kBlock, column_sums_finish, (const double*)partial.data(), chunks, cols, alpha, beta, out.data());
}

void test_reductions() {
    // Row reductions are one shared-memory tree per row: in the emulation every tree level is a
    // barrier phase of 128 threads, so their shapes stay small; the other reductions also get larger ones.
    std::vector<std::pair<unsigned, unsigned>> shapes = {{1, 1}, {1, 300}, {300, 1}, {257, 3}, {3, 1000}, {130, 70}, {6, 150}};
    for (auto [rows, cols] : shapes) {
        unsigned n = rows * cols;
        bool rowKernels = rows <= 8;
        std::vector<float> x = random_floats(n, -1, 1, n + 1), y = random_floats(n, -1, 1, n + 2);
        std::vector<float> bias = random_floats(cols, -2, 2, cols), w = random_floats(cols, 0, 2, cols + 1);
        std::vector<double> rs(rows), sp(rows), sq(rows), sqw(rows), cs(cols), absRow(rows), absCol(cols);
        double total = 0, dot = 0, absTotal = 0;
        for (unsigned r = 0; r < rows; r++)
            for (unsigned j = 0; j < cols; j++) {
                double v = x[r * cols + j];
                rs[r] += v; cs[j] += v; absRow[r] += std::fabs(v); absCol[j] += std::fabs(v);
                double z = 1.5 * (double)(float)(x[r * cols + j] + bias[j]);
                sp[r] += z > 0 ? z + std::log1p(std::exp(-z)) : std::log1p(std::exp(z));
                sq[r] += v * v; sqw[r] += w[j] * v * v;
                total += v; absTotal += std::fabs(v); dot += v * y[r * cols + j];
            }
        std::vector<float> out(std::max(rows, cols));
        int bad = 0;
        if (rowKernels) {
            dim3 grid(std::min(rows, 2u));
            emu::launch_sync(grid, dim3(EBM_REDUCE_THREADS), row_sums, (const float*)x.data(), rows, cols, out.data());
            for (unsigned r = 0; r < rows; r++) bad += !close_to(out[r], rs[r], absRow[r]);
            report(bad == 0, fmt("row_sums %ux%u", rows, cols), fmt("%d mismatches", bad));

            bad = 0;
            emu::launch_sync(grid, dim3(EBM_REDUCE_THREADS), softplus_row_sums, (const float*)x.data(),
                             (const float*)bias.data(), 1.5f, rows, cols, out.data());
            for (unsigned r = 0; r < rows; r++) bad += !close_to(out[r], sp[r], sp[r] * 2);
            report(bad == 0, fmt("softplus_row_sums %ux%u", rows, cols), fmt("%d mismatches", bad));

            bad = 0;
            emu::launch_sync(grid, dim3(EBM_REDUCE_THREADS), row_squared_norms, (const float*)x.data(),
                             (const float*)nullptr, rows, cols, out.data());
            for (unsigned r = 0; r < rows; r++) bad += !close_to(out[r], sq[r], sq[r]);
            emu::launch_sync(grid, dim3(EBM_REDUCE_THREADS), row_squared_norms, (const float*)x.data(),
                             (const float*)w.data(), rows, cols, out.data());
            for (unsigned r = 0; r < rows; r++) bad += !close_to(out[r], sqw[r], sqw[r]);
            report(bad == 0, fmt("row_squared_norms %ux%u with and without weights", rows, cols), fmt("%d mismatches", bad));
        }

        bad = 0;
        std::vector<float> cso(cols, NAN);  // beta == 0 must not read the NaN
        run_column_sums(x, rows, cols, 2.0f, 0.0f, cso);
        for (unsigned j = 0; j < cols; j++) bad += !close_to(cso[j], 2 * cs[j], 2 * absCol[j]);
        std::vector<float> prev = random_floats(cols, -1, 1, 40), csb = prev;
        run_column_sums(x, rows, cols, -1.0f, 0.5f, csb);
        for (unsigned j = 0; j < cols; j++) bad += !close_to(csb[j], -cs[j] + 0.5 * prev[j], absCol[j] + 1);
        report(bad == 0, fmt("column sums %ux%u (beta 0 ignores NaN; beta 0.5)", rows, cols), fmt("%d mismatches", bad));

        for (int isDot = 0; isDot < 2; isDot++) {
            unsigned blocks = std::min(4u, (n + EBM_REDUCE_THREADS - 1) / EBM_REDUCE_THREADS);
            std::vector<double> partial(blocks), result(1, NAN);
            emu::launch_sync(dim3(blocks), dim3(EBM_REDUCE_THREADS), sum_partial, (const float*)x.data(),
                             isDot ? (const float*)y.data() : (const float*)nullptr, n, partial.data());
            emu::launch_sync(dim3(1), dim3(EBM_REDUCE_THREADS), sum_finish, (const double*)partial.data(), blocks, result.data());
            double want = isDot ? dot : total;
            report(std::fabs(result[0] - want) <= 1e-12 * absTotal + 1e-300, fmt("%s %ux%u in double", isDot ? "dot" : "sum", rows, cols),
                   fmt("%.17g vs %.17g", result[0], want));
        }
    }
    // softplus far from zero: no overflow, softplus(z) = z for large z, 0 for very negative z.
    std::vector<float> big = {100.0f, -100.0f, 1e30f, -1e30f};
    std::vector<float> out(1);
    emu::launch_sync(dim3(1), dim3(EBM_REDUCE_THREADS), softplus_row_sums, (const float*)big.data(), (const float*)nullptr,
                     1.0f, 1u, 4u, out.data());
    report(close_to(out[0], 100.0 + 1e30, 1e30), "softplus_row_sums does not overflow", fmt("%g", out[0]));
}

// ---- the training loop's device-side steps ---------------------------------------------------

void test_training_steps() {
    // gather_ordered_rows: valid entries copy their row; entries naming no row give NaN rows.
    const unsigned srcRows = 10, cols = 37, offset = 2;
    std::vector<float> src = random_floats(srcRows * cols, -1, 1, 60);
    std::vector<float> order = {3, 3, 9, 0, -1, 2.5f, 10, NAN, INFINITY, 4};
    const unsigned rows = (unsigned)order.size() - offset;
    std::vector<float> dst(rows * cols, 5.0f);
    emu::launch(kGrid, kBlock, gather_ordered_rows, (const float*)src.data(), (const float*)order.data(), offset,
                dst.data(), rows, cols, srcRows);
    int bad = 0;
    for (unsigned r = 0; r < rows; r++) {
        float index = order[offset + r];
        bool valid = index >= 0 && index < srcRows && index == std::floor(index);
        for (unsigned j = 0; j < cols; j++) {
            float want = valid ? src[(unsigned)index * cols + j] : NAN;
            bad += !same_bits(dst[r * cols + j], want);
        }
    }
    report(bad == 0, "gather_ordered_rows with offset, bad entries give NaN rows", fmt("%d mismatches", bad));

    // momentum_step against the two axpy_values launches it replaces, to the bit.
    const unsigned n = 1000;
    for (float decay : {0.0f, -3e-4f}) {
        std::vector<float> v = random_floats(n, -1, 1, 61), p = random_floats(n, -2, 2, 62);
        std::vector<float> v2 = v, p2 = p;
        emu::launch(kGrid, kBlock, momentum_step, decay, v.data(), p.data(), n);
        if (decay != 0.0f) emu::launch(kGrid, kBlock, axpy_values, decay, (const float*)p2.data(), v2.data(), n);
        emu::launch(kGrid, kBlock, axpy_values, 1.0f, (const float*)v2.data(), p2.data(), n);
        bad = 0;
        for (unsigned i = 0; i < n; i++) bad += !same_bits(v[i], v2[i]) + !same_bits(p[i], p2[i]);
        report(bad == 0, fmt("momentum_step decay %g equals its two axpy_values", decay), fmt("%d mismatches", bad));
    }

    // bias_momentum_step, chunked: equal to column sums, column sums, axpy to the bit. Direct: equal
    // to the same arithmetic with each column summed serially.
    for (auto [dataRows, modelRows, bcols] : std::vector<std::array<unsigned, 3>>{{100, 100, 70}, {257, 3, 5}, {1, 40, 300}}) {
        std::vector<float> data = random_floats(dataRows * bcols, 0, 1, 63), model = random_floats(modelRows * bcols, 0, 1, 64);
        std::vector<float> v0 = random_floats(bcols, -1, 1, 65), p0 = random_floats(bcols, -2, 2, 66);
        float ds = 0.05f / dataRows, ms = -0.05f / modelRows;
        for (float keep : {0.9f, 0.0f}) {
            std::vector<float> vu = v0, pu = p0;
            if (keep == 0.0f) std::fill(vu.begin(), vu.end(), NAN);  // keep == 0 must not read it
            std::vector<float> vc = vu, pc = pu, vd = vu, pd = pu;
            run_column_sums(data, dataRows, bcols, ds, keep, vu);
            run_column_sums(model, modelRows, bcols, ms, 1.0f, vu);
            emu::launch(kGrid, kBlock, axpy_values, 1.0f, (const float*)vu.data(), pu.data(), bcols);

            unsigned dPer = std::max(16u, (dataRows + 63u) / 64u), mPer = std::max(16u, (modelRows + 63u) / 64u);
            unsigned dChunks = (dataRows + dPer - 1) / dPer, mChunks = (modelRows + mPer - 1) / mPer;
            std::vector<double> partial((size_t)(dChunks + mChunks) * bcols);
            emu::launch(dim3((bcols + 63) / 64, dChunks), dim3(64), column_sums_partial, data.data(), dataRows, bcols, dPer,
                        partial.data());
            emu::launch(dim3((bcols + 63) / 64, mChunks), dim3(64), column_sums_partial, model.data(), modelRows, bcols,
                        mPer, partial.data() + (size_t)dChunks * bcols);
            emu::launch(kGrid, kBlock, bias_momentum_step, (const float*)data.data(), dataRows, ds,
                        (const float*)model.data(), modelRows, ms, keep, vc.data(), pc.data(), bcols,
                        (const double*)partial.data(), dChunks, mChunks);
            bad = 0;
            for (unsigned j = 0; j < bcols; j++) bad += !same_bits(vc[j], vu[j]) + !same_bits(pc[j], pu[j]);
            report(bad == 0, fmt("bias_momentum_step chunked %ux%u/%u keep %g equals the unfused launches", dataRows, bcols,
                                 modelRows, keep), fmt("%d mismatches", bad));

            emu::launch(kGrid, kBlock, bias_momentum_step, (const float*)data.data(), dataRows, ds,
                        (const float*)model.data(), modelRows, ms, keep, vd.data(), pd.data(), bcols,
                        (const double*)nullptr, 0u, 0u);
            bad = 0;
            for (unsigned j = 0; j < bcols; j++) {
                double sd = 0, sm = 0;
                for (unsigned r = 0; r < dataRows; r++) sd += data[r * bcols + j];
                for (unsigned r = 0; r < modelRows; r++) sm += model[r * bcols + j];
                double first = (double)ds * sd + (keep != 0.0f ? (double)keep * v0[j] : 0.0);
                float v = (float)((double)ms * sm + (double)(float)first);
                bad += !same_bits(vd[j], v) + !same_bits(pd[j], p0[j] + v);
            }
            report(bad == 0, fmt("bias_momentum_step direct %ux%u/%u keep %g", dataRows, bcols, modelRows, keep),
                   fmt("%d mismatches", bad));
        }
    }

    // sum_finish_into: the float rounding of sum_finish's total, in its slot only.
    std::vector<float> x = random_floats(5000, -1, 1, 67);
    unsigned blocks = 4;
    std::vector<double> partial(blocks), total(1);
    std::vector<float> sums(3, 7.0f);
    emu::launch_sync(dim3(blocks), dim3(EBM_REDUCE_THREADS), sum_partial, (const float*)x.data(), (const float*)nullptr,
                     5000u, partial.data());
    emu::launch_sync(dim3(1), dim3(EBM_REDUCE_THREADS), sum_finish, (const double*)partial.data(), blocks, total.data());
    emu::launch_sync(dim3(1), dim3(EBM_REDUCE_THREADS), sum_finish_into, (const double*)partial.data(), blocks,
                     sums.data(), 1u);
    report(same_bits(sums[1], (float)total[0]) && sums[0] == 7.0f && sums[2] == 7.0f,
           "sum_finish_into stores the rounded total in its slot", fmt("%.9g vs %.17g", sums[1], total[0]));
}

// ---- classifier outputs (softmax with cross-entropy, argmax) --------------------------------

void test_classify() {
    const unsigned rows = 9, k = 10, n = rows * k;
    std::vector<float> z = random_floats(n, -8, 8, 50), t(n, 0.0f);
    for (unsigned r = 0; r < rows; r++) t[r * k + (r * 7) % k] = 1.0f;
    for (unsigned j = 0; j < k; j++) t[2 * k + j] = 0.1f;  // a probability row
    z[3 * k + 4] = NAN;                                     // a NaN row
    for (unsigned j = 0; j < k; j++) z[4 * k + j] = -INFINITY;  // all -inf
    z[5 * k + 1] = -INFINITY;                               // -inf with target 0 is harmless
    z[6 * k + 2] = 1000.0f;                                  // no overflow
    std::vector<float> p(n, NAN), g(n, NAN), l(rows, NAN);
    emu::launch(kGrid, kBlock, softmax_cross_entropy, (const float*)z.data(), (const float*)t.data(), p.data(),
                g.data(), l.data(), rows, k);
    int bad = 0;
    for (unsigned r = 0; r < rows; r++) {
        bool nanRow = r == 3 || r == 4;
        double m = -INFINITY;
        for (unsigned j = 0; j < k; j++) m = std::max(m, (double)z[r * k + j]);
        double s = 0;
        for (unsigned j = 0; j < k; j++) s += std::exp((double)z[r * k + j] - m);
        double loss = 0;
        for (unsigned j = 0; j < k; j++) {
            unsigned i = r * k + j;
            double want = std::exp((double)z[i] - m) / s;
            if (t[i] != 0) loss -= t[i] * ((double)z[i] - m - std::log(s));
            if (nanRow) {
                bad += !(std::isnan(p[i]) && std::isnan(g[i]));
            } else {
                bad += !close_to(p[i], want, 10) || !close_to(g[i], want - t[i], 10);
            }
        }
        bad += nanRow ? !std::isnan(l[r]) : !close_to(l[r], loss, 100 * (1 + std::fabs(loss)));
    }
    report(bad == 0, "softmax_cross_entropy 9x10 (stable, NaN rows, -inf logits)", fmt("%d mismatches", bad));

    // Null outputs and exact aliasing: the gradient written over the logits.
    std::vector<float> z2 = z, loss2(rows, NAN);
    emu::launch(kGrid, kBlock, softmax_cross_entropy, (const float*)z2.data(), (const float*)t.data(), (float*)nullptr,
                z2.data(), (float*)nullptr, rows, k);
    bad = 0;
    for (unsigned i = 0; i < n; i++) bad += !same_bits(z2[i], g[i]);
    report(bad == 0, "softmax_cross_entropy gradient in place of the logits", fmt("%d mismatches", bad));

    std::vector<float> x = {3, 5, 5, 1, NAN, -1, 7, 7, NAN, NAN, NAN, NAN, -INFINITY, -INFINITY, -INFINITY, -INFINITY,
                            -2, NAN, INFINITY, 4};
    std::vector<float> out(5, NAN);
    emu::launch(kGrid, kBlock, argmax_rows, (const float*)x.data(), 5u, 4u, out.data());
    std::vector<float> want = {1, 2, 0, 0, 2};
    bad = 0;
    for (unsigned r = 0; r < 5; r++) bad += !same_bits(out[r], want[r]);
    report(bad == 0, "argmax_rows ties, NaN and infinities", fmt("%d mismatches", bad));
}

// ---- SGEMM --------------------------------------------------------------------------------

// maxGridY below the n-tile count makes blocks loop over several n-tiles, as a grid capped at
// 65535 in Y does for very wide products on the device.
void run_sgemm(bool ta, bool tb, unsigned m, unsigned n, unsigned k, float alpha, const float* a, unsigned lda,
               const float* b, unsigned ldb, float beta, float* c, unsigned ldc, unsigned maxGridY = 65535) {
    dim3 grid((m + EBM_GEMM_BM - 1) / EBM_GEMM_BM, std::min((n + EBM_GEMM_BN - 1) / EBM_GEMM_BN, maxGridY));
    dim3 block(EBM_GEMM_THREADS);
    if (!ta && !tb) emu::launch_sync(grid, block, sgemm_nn, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    if (!ta && tb) emu::launch_sync(grid, block, sgemm_nt, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    if (ta && !tb) emu::launch_sync(grid, block, sgemm_tn, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    if (ta && tb) emu::launch_sync(grid, block, sgemm_tt, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

// SGEMM v2 with k split into slices of kChunk (0: one slice, no workspace), as KernelGemm plans it:
// the slices' raw sums in a workspace, then sgemm_splitk_reduce.
void run_sgemm2(bool ta, bool tb, unsigned m, unsigned n, unsigned k, float alpha, const float* a, unsigned lda,
                const float* b, unsigned ldb, float beta, float* c, unsigned ldc, unsigned kChunk, unsigned maxGridY) {
    unsigned slices = kChunk == 0 ? 1 : std::max(1u, (k + kChunk - 1) / kChunk);
    std::vector<float> partial(slices > 1 ? (size_t)slices * m * n : 0, NAN);
    float* ws = slices > 1 ? partial.data() : nullptr;
    unsigned chunk = slices > 1 ? kChunk : std::max(k, 1u);
    dim3 grid((m + EBM_GEMM2_BM - 1) / EBM_GEMM2_BM, std::min((n + EBM_GEMM2_BN - 1) / EBM_GEMM2_BN, maxGridY), slices);
    dim3 block(EBM_GEMM2_THREADS);
    auto kernel = !ta ? (!tb ? sgemm2_nn : sgemm2_nt) : (!tb ? sgemm2_tn : sgemm2_tt);
    emu::launch_sync(grid, block, kernel, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, chunk, ws);
    if (slices > 1) emu::launch(dim3(3), dim3(64), sgemm_splitk_reduce, m, n, slices, (const float*)ws, alpha, beta, c, ldc);
}

// Every transpose case of one SGEMM at awkward sizes, three variants each (0: alpha 1, beta 0
// over a NaN-filled C; 1: alpha -0.5, beta 2; 2: padded leading dimensions), against a double
// reference within (k + 3) eps of the sum of magnitudes (the bound of a k-term float dot product).
template <class Run>
void check_sgemm(const char* kernel, const std::vector<std::array<unsigned, 3>>& sizes, const char* what, Run run) {
    for (int tcase = 0; tcase < 4; tcase++) {
        bool ta = tcase & 2, tb = tcase & 1;
        int bad = 0, runs = 0;
        double worst = 0;
        for (const auto& s : sizes) {
            const unsigned m = s[0], n = s[1], k = s[2];
            for (int variant = 0; variant < 3; variant++) {
                unsigned pad = variant == 2 ? 3 : 0;
                unsigned aRows = ta ? k : m, aCols = ta ? m : k, lda = aCols + pad;
                unsigned bRows = tb ? n : k, bCols = tb ? k : n, ldb = bCols + pad;
                unsigned ldc = n + pad;
                std::vector<float> a = random_floats((size_t)aRows * lda, -1, 1, m * 7 + variant);
                std::vector<float> b = random_floats((size_t)bRows * ldb, -1, 1, n * 11 + variant);
                std::vector<float> c = random_floats((size_t)m * ldc, -1, 1, k * 13 + variant);
                float alpha = variant == 1 ? -0.5f : 1.0f, beta = variant == 1 ? 2.0f : 0.0f;
                if (variant == 0) std::fill(c.begin(), c.end(), NAN);
                std::vector<float> c0 = c;
                run(ta, tb, m, n, k, alpha, a.data(), lda, b.data(), ldb, beta, c.data(), ldc, variant);
                runs++;
                for (unsigned i = 0; i < m; i++)
                    for (unsigned j = 0; j < n; j++) {
                        GemmReference ref = gemm_reference(ta, tb, i, j, k, a.data(), lda, b.data(), ldb);
                        double want = alpha * ref.sum + (beta != 0 ? beta * c0[(size_t)i * ldc + j] : 0.0);
                        double cTerm = beta != 0 ? std::fabs(beta * c0[(size_t)i * ldc + j]) : 0.0;
                        double tol = (k + 3) * FLT_EPSILON * (std::fabs(alpha) * ref.magnitude + cTerm) + 1e-30;
                        double err = std::fabs(c[(size_t)i * ldc + j] - want);
                        if (!(err <= tol)) bad++;
                        worst = std::max(worst, err / tol);
                    }
                // Padding columns of C are never written.
                for (unsigned i = 0; i < m; i++)
                    for (unsigned j = n; j < ldc; j++) bad += !same_bits(c[(size_t)i * ldc + j], c0[(size_t)i * ldc + j]);
            }
        }
        report(bad == 0, fmt("%s_%c%c: %d runs (%s)", kernel, ta ? 't' : 'n', tb ? 't' : 'n', runs, what),
               fmt("%d elements outside k*eps bounds; worst error/bound %.3f", bad, worst));
    }
}

void test_sgemm() {
    check_sgemm("sgemm", {{1, 1, 1}, {3, 5, 7}, {64, 64, 16}, {65, 63, 17}, {17, 130, 70}, {100, 33, 1}, {2, 70, 129}},
                "awkward sizes, alpha/beta, beta 0 over NaN, padded ld, n-tile loop",
                [](bool ta, bool tb, unsigned m, unsigned n, unsigned k, float alpha, const float* a, unsigned lda,
                   const float* b, unsigned ldb, float beta, float* c, unsigned ldc, int variant) {
                    // variant 2 also caps grid Y at 1, so each block walks every n-tile
                    run_sgemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, variant == 2 ? 1u : 65535u);
                });
    // variant 0: one k-slice; 1: slices of 8 (a partial last one unless k % 8 == 0); 2: slices of 16
    // with grid Y capped at 1
    check_sgemm("sgemm2", {{1, 1, 1}, {3, 5, 7}, {128, 128, 8}, {129, 127, 9}, {130, 70, 33}, {40, 260, 17}, {2, 3, 100}},
                "awkward sizes, alpha/beta, beta 0 over NaN, padded ld, split-K 1/8/16 deep, n-tile loop",
                [](bool ta, bool tb, unsigned m, unsigned n, unsigned k, float alpha, const float* a, unsigned lda,
                   const float* b, unsigned ldb, float beta, float* c, unsigned ldc, int variant) {
                    run_sgemm2(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, variant == 0 ? 0u : variant == 1 ? 8u : 16u,
                               variant == 2 ? 1u : 65535u);
                });
}

// The sigmoid-Bernoulli epilogue against SGEMM v2 (alpha 1, beta 0) then sample_sigmoid_bernoulli on
// its output: probabilities and samples equal to the bit, with and without bias and samples, at sizes
// where n % 4 != 0 (Philox blocks straddle rows) and tiles are partial.
void test_sgemm2_epilogue() {
    const unsigned long long seed = 0x1234abcdULL;
    const unsigned stream = 5;
    const unsigned long long draw = (1ULL << 32) + 7;
    for (int tb = 0; tb < 2; tb++) {
        int bad = 0, runs = 0;
        for (auto [m, n, k] : std::vector<std::array<unsigned, 3>>{{130, 70, 33}, {3, 129, 17}, {128, 128, 8}}) {
            std::vector<float> a = random_floats((size_t)m * k, -1, 1, m + 70), b = random_floats((size_t)n * k, -1, 1, n + 71);
            std::vector<float> bias = random_floats(n, -2, 2, n + 72);
            for (int variant = 0; variant < 2; variant++) {
                const float* bp = variant == 0 ? bias.data() : nullptr;
                std::vector<float> pre((size_t)m * n, NAN), p1((size_t)m * n, NAN), s1((size_t)m * n, NAN);
                run_sgemm2(false, tb, m, n, k, 1.0f, a.data(), k, b.data(), tb ? k : n, 0.0f, pre.data(), n, 0u, 65535u);
                emu::launch(kGrid, kBlock, sample_sigmoid_bernoulli, (const float*)pre.data(), bp, 1.0f, p1.data(), s1.data(),
                            m, n, seed, stream, draw);
                std::vector<float> p2((size_t)m * n, NAN), s2((size_t)m * n, NAN);
                dim3 grid((m + EBM_GEMM2_BM - 1) / EBM_GEMM2_BM, (n + EBM_GEMM2_BN - 1) / EBM_GEMM2_BN);
                auto kernel = tb ? sgemm2_nt_sigmoid_bernoulli : sgemm2_nn_sigmoid_bernoulli;
                emu::launch_sync(grid, dim3(EBM_GEMM2_THREADS), kernel, m, n, k, (const float*)a.data(), k,
                                 (const float*)b.data(), tb ? k : n, bp, p2.data(), variant == 0 ? s2.data() : nullptr,
                                 seed, stream, draw);
                for (size_t e = 0; e < p1.size(); e++) {
                    bad += !same_bits(p1[e], p2[e]);
                    if (variant == 0) bad += !same_bits(s1[e], s2[e]);
                    else bad += !std::isnan(s2[e]);
                }
                runs++;
            }
        }
        report(bad == 0, fmt("sgemm2_%s_sigmoid_bernoulli equals sgemm2 then sample_sigmoid_bernoulli (%d runs)",
                             tb ? "nt" : "nn", runs), fmt("%d mismatches", bad));
    }
}

// ---- Java parity cases ------------------------------------------------------------------------

struct Reader {
    std::ifstream in;
    template <class T> T get() {
        T v;
        in.read(reinterpret_cast<char*>(&v), sizeof v);
        if (!in) throw std::runtime_error("truncated parity case file");
        return v;
    }
    std::vector<float> floats(int len) {  // len -1: a null array
        std::vector<float> v(len > 0 ? len : 0);
        if (len > 0) in.read(reinterpret_cast<char*>(v.data()), 4 * (size_t)len);
        if (!in) throw std::runtime_error("truncated parity case file");
        return v;
    }
};

int run_parity(const char* inPath, const char* outPath) {
    Reader r{std::ifstream(inPath, std::ios::binary)};
    std::ofstream out(outPath, std::ios::binary);
    auto put = [&](int32_t v) { out.write(reinterpret_cast<const char*>(&v), 4); };
    auto putArray = [&](const std::vector<float>* v) {
        if (v == nullptr) { put(-1); return; }
        put((int32_t)v->size());
        out.write(reinterpret_cast<const char*>(v->data()), 4 * v->size());
    };
    if (r.get<int32_t>() != 0x45424D31) throw std::runtime_error("bad magic in parity case file");
    int count = r.get<int32_t>();
    put(count);
    for (int c = 0; c < count; c++) {
        int kind = r.get<int32_t>();
        uint64_t seed = r.get<uint64_t>();
        uint32_t stream = r.get<uint32_t>();
        uint64_t draw = r.get<uint64_t>();
        unsigned rows = r.get<uint32_t>(), cols = r.get<uint32_t>();
        std::vector<int32_t> ints(r.get<int32_t>());
        for (auto& v : ints) v = r.get<int32_t>();
        std::vector<float> fl(r.get<int32_t>());
        for (auto& v : fl) v = r.get<float>();
        int nArrays = r.get<int32_t>();
        std::vector<std::vector<float>> arr(nArrays);
        std::vector<bool> present(nArrays);
        for (int i = 0; i < nArrays; i++) {
            int len = r.get<int32_t>();
            present[i] = len >= 0;
            arr[i] = r.floats(len);
        }
        auto ptr = [&](int i) -> float* { return present[i] ? arr[i].data() : nullptr; };
        unsigned n = rows * cols;
        const dim3 grid(5), block(32);
        switch (kind) {
            case 1: {  // philox words: ints = {quad0, quads}
                std::vector<float> w(4 * (size_t)ints[1]);
                emu::launch(grid, block, philox_words, seed, stream, draw, (unsigned)ints[0], (unsigned)ints[1],
                            reinterpret_cast<unsigned*>(w.data()));
                put(1); putArray(&w);
                break;
            }
            case 2: {
                std::vector<float> o(n);
                emu::launch(grid, block, fill_uniform, o.data(), n, seed, stream, draw);
                put(1); putArray(&o);
                break;
            }
            case 3: {
                std::vector<float> o(n);
                emu::launch(grid, block, fill_normal, o.data(), n, fl[0], fl[1], seed, stream, draw);
                put(1); putArray(&o);
                break;
            }
            case 4: {
                std::vector<float> o(n);
                emu::launch(grid, block, sample_bernoulli, (const float*)ptr(0), o.data(), n, seed, stream, draw);
                put(1); putArray(&o);
                break;
            }
            case 5: {  // ints = {withProbs}; floats = {scale}; arrays = {x, bias}
                std::vector<float> p(n), s(n);
                emu::launch(grid, block, sample_sigmoid_bernoulli, (const float*)ptr(0), (const float*)ptr(1), fl[0],
                            ints[0] ? p.data() : nullptr, s.data(), rows, cols, seed, stream, draw);
                put(2); putArray(ints[0] ? &p : nullptr); putArray(&s);
                break;
            }
            case 6: {  // floats = {stddev}; arrays = {mean, bias}
                std::vector<float> o(n);
                emu::launch(grid, block, sample_gaussian, (const float*)ptr(0), (const float*)ptr(1), fl[0], o.data(),
                            rows, cols, seed, stream, draw);
                put(1); putArray(&o);
                break;
            }
            case 7: {  // ints = {unit, stochastic}; floats = {low, high, invT}; arrays = {state, field, weights, clamp}
                std::vector<float> delta(rows);
                emu::launch(grid, block, unit_decide, ptr(0), (const float*)ptr(1), (const float*)ptr(3), delta.data(),
                            rows, cols, (unsigned)ints[0], ints[1], fl[0], fl[1], fl[2], seed, stream, draw);
                emu::launch(grid, block, unit_field_update, ptr(1), (const float*)ptr(2), (const float*)delta.data(),
                            rows, cols, (unsigned)ints[0]);
                put(2); putArray(&arr[0]); putArray(&arr[1]);
                break;
            }
            case 8: {  // arrays = {current, currentEnergy, proposal, proposalEnergy}
                std::vector<float> acc(rows);
                emu::launch(grid, block, metropolis_decide, ptr(1), (const float*)ptr(3), acc.data(), rows, seed,
                            stream, draw);
                emu::launch(grid, block, metropolis_copy, ptr(0), (const float*)ptr(2), (const float*)acc.data(), rows, cols);
                put(3); putArray(&arr[0]); putArray(&arr[1]); putArray(&acc);
                break;
            }
            default:
                throw std::runtime_error("unknown parity case kind " + std::to_string(kind));
        }
    }
    return out ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    std::string mode = argc > 1 ? argv[1] : "selftest";
    try {
        if (mode == "parity" && argc == 4) return run_parity(argv[2], argv[3]);
        if (mode == "selftest") {
            test_philox_kat();
            test_fill_uniform();
            test_fill_normal();
            test_sample_bernoulli();
            test_sample_sigmoid_bernoulli();
            test_tie_recheck();
            test_sample_gaussian();
            test_update_unit();
            test_leapfrog();
            test_metropolis();
            test_elementwise();
            test_reductions();
            test_training_steps();
            test_classify();
            test_sgemm();
            test_sgemm2_epilogue();
        } else {
            std::fprintf(stderr, "usage: kernel_tests [selftest | parity IN OUT]\n");
            return 2;
        }
    } catch (const std::exception& e) {
        std::printf("FAIL %s: %s\n", mode.c_str(), e.what());
        failed++;
    }
    return summary();
}
