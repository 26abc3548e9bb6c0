// The random half of the SPI (org.ebm4j.tensor.Sampler) and the HMC helpers. Every kernel takes
// the stream position (seed, stream, draw) as arguments and computes its Philox words in
// registers: element e of a uniform draw uses block (e / 4) word (e % 4), element e of a normal
// draw uses block (e / 2) words 2(e % 2), 2(e % 2) + 1, exactly as org.ebm4j.random.Philox lays
// them out. One thread handles one Philox block, so each block is computed once.
#include "ebm_common.cuh"

// out[4i .. 4i+3] = the words of block (quad0 + i): the raw generator, for known-answer checks.
extern "C" __global__ void philox_words(unsigned long long seed, unsigned stream, unsigned long long draw,
                                        unsigned quad0, unsigned quads, unsigned* out) {
    EBM_GRID_STRIDE(i, quads) {
        EbmWords w = ebm_stream_block(seed, stream, draw, quad0 + i);
        out[4u * i] = w.x0;
        out[4u * i + 1u] = w.x1;
        out[4u * i + 2u] = w.x2;
        out[4u * i + 3u] = w.x3;
    }
}

// out[e] = uniform(e).
extern "C" __global__ void fill_uniform(float* out, unsigned n,
                                        unsigned long long seed, unsigned stream, unsigned long long draw) {
    unsigned quads = (n + 3u) >> 2;
    EBM_GRID_STRIDE(q, quads) {
        EbmWords w = ebm_stream_block(seed, stream, draw, q);
        unsigned e = q << 2;
        out[e] = ebm_uniform(w.x0);
        if (e + 1u < n) out[e + 1u] = ebm_uniform(w.x1);
        if (e + 2u < n) out[e + 2u] = ebm_uniform(w.x2);
        if (e + 3u < n) out[e + 3u] = ebm_uniform(w.x3);
    }
}

// out[e] = mean + stddev * normal(e).
extern "C" __global__ void fill_normal(float* out, unsigned n, float mean, float stddev,
                                       unsigned long long seed, unsigned stream, unsigned long long draw) {
    unsigned pairs = (n + 1u) >> 1;
    EBM_GRID_STRIDE(q, pairs) {
        EbmWords w = ebm_stream_block(seed, stream, draw, q);
        unsigned e = q << 1;
        out[e] = mean + stddev * ebm_box_muller(w.x0, w.x1);
        if (e + 1u < n) out[e + 1u] = mean + stddev * ebm_box_muller(w.x2, w.x3);
    }
}

// out[e] = uniform(e) < probs[e] ? 1 : 0 (NaN gives 0; out may alias probs).
extern "C" __global__ void sample_bernoulli(const float* probs, float* out, unsigned n,
                                            unsigned long long seed, unsigned stream, unsigned long long draw) {
    unsigned quads = (n + 3u) >> 2;
    EBM_GRID_STRIDE(q, quads) {
        EbmWords w = ebm_stream_block(seed, stream, draw, q);
        unsigned e = q << 2;
#pragma unroll
        for (unsigned j = 0; j < 4u; j++) {
            if (e + j < n) {
                float p = probs[e + j];
                out[e + j] = ebm_uniform(ebm_word(w, j)) < p ? 1.0f : 0.0f;
            }
        }
    }
}

// The fused block-Gibbs half-step: probs = sigmoid(scale * (x + bias)), samples = uniform < probs,
// one pass, no random buffer. bias and probs may be null; samples may alias x.
extern "C" __global__ void sample_sigmoid_bernoulli(const float* x, const float* bias, float scale,
                                                    float* probs, float* samples, unsigned rows, unsigned cols,
                                                    unsigned long long seed, unsigned stream,
                                                    unsigned long long draw) {
    unsigned n = rows * cols;
    unsigned quads = (n + 3u) >> 2;
    EBM_GRID_STRIDE(q, quads) {
        EbmWords w = ebm_stream_block(seed, stream, draw, q);
        unsigned e = q << 2;
        unsigned col = e % cols;
#pragma unroll
        for (unsigned j = 0; j < 4u; j++) {
            if (e + j < n) {
                float b = bias != 0 ? bias[col] : 0.0f;
                float z = scale * (x[e + j] + b);
                float p = ebm_sigmoid_fast(z);
                if (probs != 0) probs[e + j] = p;
                samples[e + j] = ebm_bernoulli_sigmoid(ebm_uniform(ebm_word(w, j)), p, z);
                col = col + 1u == cols ? 0u : col + 1u;
            }
        }
    }
}

// Element e of sample_gaussian from its two Philox words: (mean[e] + bias[e % cols]) + stddev * normal.
__device__ __forceinline__ float ebm_gaussian_unit(const float* mean, const float* bias, unsigned cols, unsigned e,
                                                   float stddev, unsigned wordA, unsigned wordB) {
    float m = bias != 0 ? mean[e] + bias[e % cols] : mean[e];
    return m + stddev * ebm_box_muller(wordA, wordB);
}

// out[r, j] = mean[r, j] + bias[j] + stddev * normal(e); bias may be null; out may alias mean.
extern "C" __global__ void sample_gaussian(const float* mean, const float* bias, float stddev, float* out,
                                           unsigned rows, unsigned cols,
                                           unsigned long long seed, unsigned stream, unsigned long long draw) {
    unsigned n = rows * cols;
    unsigned pairs = (n + 1u) >> 1;
    EBM_GRID_STRIDE(q, pairs) {
        EbmWords w = ebm_stream_block(seed, stream, draw, q);
        unsigned e = q << 1;
        out[e] = ebm_gaussian_unit(mean, bias, cols, e, stddev, w.x0, w.x1);
        if (e + 1u < n) out[e + 1u] = ebm_gaussian_unit(mean, bias, cols, e + 1u, stddev, w.x2, w.x3);
    }
}

// Sampler.updateUnit, first half: one thread per chain sets state[r, unit] from field[r, unit]
// by the rule (stochastic: uniform(r) < sigmoid((high - low) * h * invT)) and writes the change
// to delta[r] (0 when clamped or unchanged). The field update is unit_field_update, a separate
// launch, so no thread reads a field element another thread is writing.
extern "C" __global__ void unit_decide(float* state, const float* field, const float* clamp, float* delta,
                                       unsigned chains, unsigned n, unsigned unit, int stochastic,
                                       float low, float high, float inverseTemperature,
                                       unsigned long long seed, unsigned stream, unsigned long long draw) {
    EBM_GRID_STRIDE(r, chains) {
        unsigned idx = r * n + unit;
        float d = 0.0f;
        if (clamp == 0 || clamp[idx] == 0.0f) {
            float h = field[idx];
            float v;
            if (stochastic) {
                EbmWords w = ebm_stream_block(seed, stream, draw, r >> 2);
                float u = ebm_uniform(ebm_word(w, r & 3u));
                float gap = (high - low) * h * inverseTemperature;
                v = u < ebm_sigmoid_exact(gap) ? high : low;
            } else {
                v = h >= 0.0f ? high : low;
            }
            float old = state[idx];
            d = v - old;
            state[idx] = v;
        }
        delta[r] = d;
    }
}

// Sampler.updateUnit, second half: field[r, j] += delta[r] * weights[unit, j] where delta[r] != 0.
extern "C" __global__ void unit_field_update(float* field, const float* weights, const float* delta,
                                             unsigned chains, unsigned n, unsigned unit) {
    EBM_GRID_STRIDE(i, chains * n) {
        float d = delta[i / n];
        if (d != 0.0f) {
            field[i] = field[i] + d * weights[unit * n + (i % n)];
        }
    }
}

// The fused leapfrog: p -= kick * grad, then q += drift * invMass[j] * p (invMass null: identity).
// A zero kick leaves p untouched and a zero drift leaves q untouched, so 0 * inf never reaches them.
extern "C" __global__ void leapfrog(float* q, float* p, const float* grad, const float* invMass,
                                    float kick, float drift, unsigned rows, unsigned cols) {
    EBM_GRID_STRIDE(i, rows * cols) {
        float pn = p[i];
        if (kick != 0.0f) {
            pn = pn - kick * grad[i];
            p[i] = pn;
        }
        if (drift != 0.0f) {
            float m = invMass != 0 ? drift * invMass[i % cols] : drift;
            q[i] = q[i] + m * pn;
        }
    }
}

// Metropolis, first half: chain r accepts when uniform(r) < exp(E_cur - E_prop); a NaN or +inf
// proposal energy is rejected. Writes accepted[r] and, when accepted, E_cur[r] = E_prop[r].
extern "C" __global__ void metropolis_decide(float* currentEnergy, const float* proposalEnergy, float* accepted,
                                             unsigned chains,
                                             unsigned long long seed, unsigned stream, unsigned long long draw) {
    EBM_GRID_STRIDE(r, chains) {
        float ec = currentEnergy[r];
        float ep = proposalEnergy[r];
        EbmWords w = ebm_stream_block(seed, stream, draw, r >> 2);
        float u = ebm_uniform(ebm_word(w, r & 3u));
        // ep <= FLT_MAX is false exactly for NaN and +inf.
        bool ok = ep <= 3.402823466e38f && u < (float)exp((double)(ec - ep));
        accepted[r] = ok ? 1.0f : 0.0f;
        if (ok) currentEnergy[r] = ep;
    }
}

// Metropolis, second half: current[r, :] = proposal[r, :] where accepted[r] != 0.
extern "C" __global__ void metropolis_copy(float* current, const float* proposal, const float* accepted,
                                           unsigned chains, unsigned cols) {
    EBM_GRID_STRIDE(i, chains * cols) {
        if (accepted[i / cols] != 0.0f) current[i] = proposal[i];
    }
}
