// Data movement, elementwise and broadcast operations of org.ebm4j.tensor.Backend. Memory-bound
// one-pass kernels over grid-stride loops; outputs may alias inputs exactly (each element is read
// before it is written by the same thread).
#include "ebm_common.cuh"

extern "C" __global__ void fill_value(float* x, unsigned n, float value) {
    EBM_GRID_STRIDE(i, n) { x[i] = value; }
}

extern "C" __global__ void copy_values(const float* src, float* dst, unsigned n) {
    EBM_GRID_STRIDE(i, n) { dst[i] = src[i]; }
}

// dst[i, :] = src[index[i], :] for i < rows; the host has checked every index against src's rows.
extern "C" __global__ void gather_rows(const float* src, const int* index, float* dst, unsigned rows, unsigned cols) {
    EBM_GRID_STRIDE(i, rows * cols) {
        unsigned r = i / cols;
        dst[i] = src[(unsigned)index[r] * cols + (i - r * cols)];
    }
}

// dst[i, :] = src[order[offset + i], :] for i < rows, the row indices held as floats on the device (the
// epoch's order, uploaded once). srcRows <= 2^24, so (float) srcRows is exact; an entry that is not an
// integer in [0, srcRows) (negative, fractional, too large, NaN) gives a row of NaN and reads nothing.
extern "C" __global__ void gather_ordered_rows(const float* src, const float* order, unsigned offset, float* dst,
                                              unsigned rows, unsigned cols, unsigned srcRows) {
    EBM_GRID_STRIDE(i, rows * cols) {
        unsigned r = i / cols;
        float index = order[offset + r];
        bool valid = index >= 0.0f && index < (float)srcRows && index == floorf(index);
        dst[i] = valid ? src[(unsigned)index * cols + (i - r * cols)] : NAN;
    }
}

// out[r, j] = x[r, j] + alpha * row[j].
extern "C" __global__ void add_row_vector(const float* x, const float* row, float alpha, float* out,
                                          unsigned rows, unsigned cols) {
    EBM_GRID_STRIDE(i, rows * cols) { out[i] = x[i] + alpha * row[i % cols]; }
}

extern "C" __global__ void add_values(const float* a, const float* b, float* out, unsigned n) {
    EBM_GRID_STRIDE(i, n) { out[i] = a[i] + b[i]; }
}

extern "C" __global__ void sub_values(const float* a, const float* b, float* out, unsigned n) {
    EBM_GRID_STRIDE(i, n) { out[i] = a[i] - b[i]; }
}

extern "C" __global__ void mul_values(const float* a, const float* b, float* out, unsigned n) {
    EBM_GRID_STRIDE(i, n) { out[i] = a[i] * b[i]; }
}

// A momentum-SGD step whose new velocity is in velocity already: velocity += decay * parameter (left out
// when decay == 0), then parameter += velocity; the two axpy_values launches it replaces, in one pass and
// rounded as they round (-fmad=false keeps v + decay * p two roundings).
extern "C" __global__ void momentum_step(float decay, float* velocity, float* parameter, unsigned n) {
    EBM_GRID_STRIDE(i, n) {
        float v = velocity[i];
        float p = parameter[i];
        if (decay != 0.0f) v = v + decay * p;
        velocity[i] = v;
        parameter[i] = p + 1.0f * v;
    }
}

// out = alpha * x.
extern "C" __global__ void scale_values(float alpha, const float* x, float* out, unsigned n) {
    EBM_GRID_STRIDE(i, n) { out[i] = alpha * x[i]; }
}

// y = y + alpha * x.
extern "C" __global__ void axpy_values(float alpha, const float* x, float* y, unsigned n) {
    EBM_GRID_STRIDE(i, n) { y[i] = y[i] + alpha * x[i]; }
}

// out[r, j] = sigmoid(x[r, j] + bias[j]); bias may be null. NaN in gives NaN out.
extern "C" __global__ void sigmoid_bias(const float* x, const float* bias, float* out, unsigned rows, unsigned cols) {
    EBM_GRID_STRIDE(i, rows * cols) {
        float z = bias != 0 ? x[i] + bias[i % cols] : x[i];
        out[i] = ebm_sigmoid_fast(z);
    }
}

// out = x >= t ? atOrAbove : below; NaN compares false and gives below.
extern "C" __global__ void threshold_values(const float* x, float t, float below, float atOrAbove, float* out,
                                            unsigned n) {
    EBM_GRID_STRIDE(i, n) { out[i] = x[i] >= t ? atOrAbove : below; }
}

// Function codes of the activation kernel; CudaBackend.activationCode maps org.ebm4j.tensor.Activation onto them.
#define EBM_ACTIVATION_SOFTPLUS 0
#define EBM_ACTIVATION_LOG1P_SQUARE 1

// Above this |z| (2^32), 1 + z^2 equals z^2 to 2^-64 relative, so log1p(z^2) = 2 log|z| and
// 2z / (1 + z^2) = 2 / z to far below an ulp; at or below it z^2 <= 2^64 cannot overflow.
#define EBM_FAS_BIG 4294967296.0f

// With z = x[r, j] + bias[j] (bias may be null): value[r, j] = f(z) and derivative[r, j] = f'(z),
// either output may be null, and either may alias x exactly (z is read before anything is written).
//   fn = SOFTPLUS:     f = max(z, 0) + log1p(e^-|z|), f' = sigmoid(z) = (z < 0 ? e^-|z| : 1) / (1 + e^-|z|):
//                      one exp, no overflow, no cancellation for either sign.
//   fn = LOG1P_SQUARE: f = log1p(z^2), relative accuracy for tiny z (log1pf, not log(1 + z^2));
//                      f' = 2z / (1 + z^2); past EBM_FAS_BIG f = 2 log|z| and f' = (z / |z|) (2 / |z|).
// As the double definitions in Activation.java: NaN gives NaN; softplus(+-inf) = (inf, 1) and (0, 0);
// log1p_square(+-inf) = inf with derivative NaN (inf / inf).
extern "C" __global__ void activation(const float* x, const float* bias, float* value, float* derivative, int fn,
                                      unsigned rows, unsigned cols) {
    EBM_GRID_STRIDE(i, rows * cols) {
        float z = bias != 0 ? x[i] + bias[i % cols] : x[i];
        float v = 0.0f, d = 0.0f;
        if (fn == EBM_ACTIVATION_LOG1P_SQUARE) {
            float a = fabsf(z);
            bool big = a > EBM_FAS_BIG;  // false for NaN
            float t = z * z;
            if (value != 0) v = big ? 2.0f * EBM_LOGF(a) : EBM_LOG1PF(t);
            if (derivative != 0) d = big ? (z / a) * (2.0f / a) : (2.0f * z) / (1.0f + t);
        } else {
            float m = EBM_EXPF(-fabsf(z));
            if (value != 0) v = (z > 0.0f ? z : 0.0f) + EBM_LOG1PF(m);
            if (derivative != 0) d = (z < 0.0f ? m : 1.0f) / (1.0f + m);
        }
        if (value != 0) value[i] = v;
        if (derivative != 0) derivative[i] = d;
    }
}
