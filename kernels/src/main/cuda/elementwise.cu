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
