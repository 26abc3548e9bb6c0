// Reductions of org.ebm4j.tensor.Backend, all accumulated in double and all deterministic: no
// atomics, a fixed summation order for a given launch shape.
//
//   * column sums: per-chunk partial sums (each thread one column of one row chunk, coalesced
//     across columns) into a double workspace, then a second pass that adds the chunks in order;
//   * row reductions: one block per row, a shared-memory tree;
//   * sum / dot: per-block partials (shared-memory tree), then one block adds them in order.
//
// The tree kernels need blockDim.x == EBM_REDUCE_THREADS (a power of two); the host launches them so.
#include "ebm_common.cuh"

#define EBM_REDUCE_THREADS 128

// Adds part[0 .. blockDim.x) into part[0]; every thread of the block must call it.
__device__ __forceinline__ void ebm_block_tree(double* part) {
    unsigned t = threadIdx.x;
    __syncthreads();
    for (unsigned s = blockDim.x >> 1; s > 0u; s >>= 1) {
        if (t < s) part[t] += part[t + s];
        __syncthreads();
    }
}

// Partial column sums: partial[chunk * cols + j] = sum of x[r, j] over the rows of the chunk
// (rows [chunk * rowsPerChunk, min(rows, (chunk + 1) * rowsPerChunk))). Grid: (ceil(cols / blockDim.x), chunks).
extern "C" __global__ void column_sums_partial(const float* x, unsigned rows, unsigned cols, unsigned rowsPerChunk,
                                               double* partial) {
    unsigned j = blockIdx.x * blockDim.x + threadIdx.x;
    unsigned chunk = blockIdx.y;
    if (j >= cols) return;
    unsigned r0 = chunk * rowsPerChunk;
    unsigned r1 = r0 + rowsPerChunk < rows ? r0 + rowsPerChunk : rows;
    double acc = 0.0;
    for (unsigned r = r0; r < r1; r++) acc += (double)x[r * cols + j];
    partial[chunk * cols + j] = acc;
}

// out[j] = alpha * sum_c partial[c, j] + beta * out[j]; with beta == 0, out is not read.
extern "C" __global__ void column_sums_finish(const double* partial, unsigned chunks, unsigned cols,
                                              float alpha, float beta, float* out) {
    EBM_GRID_STRIDE(j, cols) {
        double s = 0.0;
        for (unsigned c = 0; c < chunks; c++) s += partial[c * cols + j];
        double v = (double)alpha * s;
        if (beta != 0.0f) v += (double)beta * (double)out[j];
        out[j] = (float)v;
    }
}

struct EbmPlainTerm {
    __device__ double operator()(float x, unsigned) const { return (double)x; }
};

// softplus(scale * (x + bias[j])) without overflow: z + log1p(exp(-z)) for z > 0, log1p(exp(z)) otherwise.
struct EbmSoftplusTerm {
    const float* bias;
    float scale;
    __device__ double operator()(float x, unsigned j) const {
        float z = scale * (bias != 0 ? x + bias[j] : x);
        float sp = z > 0.0f ? z + log1pf(expf(-z)) : log1pf(expf(z));
        return (double)sp;
    }
};

struct EbmWeightedSquareTerm {
    const float* weights;
    __device__ double operator()(float x, unsigned j) const {
        double sq = (double)x * (double)x;
        return weights != 0 ? (double)weights[j] * sq : sq;
    }
};

template <class Term>
__device__ __forceinline__ void ebm_row_reduce(const float* x, unsigned rows, unsigned cols, float* out, Term term) {
    __shared__ double part[EBM_REDUCE_THREADS];
    for (unsigned row = blockIdx.x; row < rows; row += gridDim.x) {
        const float* xr = x + (unsigned long long)row * cols;
        double acc = 0.0;
        for (unsigned j = threadIdx.x; j < cols; j += blockDim.x) acc += term(xr[j], j);
        part[threadIdx.x] = acc;
        ebm_block_tree(part);
        if (threadIdx.x == 0) out[row] = (float)part[0];
        __syncthreads();  // part is reused by the next row
    }
}

// out[r] = sum_j x[r, j].
extern "C" __global__ void row_sums(const float* x, unsigned rows, unsigned cols, float* out) {
    ebm_row_reduce(x, rows, cols, out, EbmPlainTerm());
}

// out[r] = sum_j softplus(scale * (x[r, j] + bias[j])); bias may be null.
extern "C" __global__ void softplus_row_sums(const float* x, const float* bias, float scale,
                                             unsigned rows, unsigned cols, float* out) {
    EbmSoftplusTerm term;
    term.bias = bias;
    term.scale = scale;
    ebm_row_reduce(x, rows, cols, out, term);
}

// out[r] = sum_j weights[j] * x[r, j]^2; weights may be null (all ones).
extern "C" __global__ void row_squared_norms(const float* x, const float* weights, unsigned rows, unsigned cols,
                                             float* out) {
    EbmWeightedSquareTerm term;
    term.weights = weights;
    ebm_row_reduce(x, rows, cols, out, term);
}

// partial[block] = sum over this block's grid-stride share of a[i] (b null) or a[i] * b[i].
extern "C" __global__ void sum_partial(const float* a, const float* b, unsigned n, double* partial) {
    __shared__ double part[EBM_REDUCE_THREADS];
    double acc = 0.0;
    EBM_GRID_STRIDE(i, n) { acc += b != 0 ? (double)a[i] * (double)b[i] : (double)a[i]; }
    part[threadIdx.x] = acc;
    ebm_block_tree(part);
    if (threadIdx.x == 0) partial[blockIdx.x] = part[0];
}

// The sum of partial[0 .. count) in a fixed order, valid in thread 0; one block, every thread calls it.
__device__ __forceinline__ double ebm_block_total(const double* partial, unsigned count) {
    __shared__ double part[EBM_REDUCE_THREADS];
    double acc = 0.0;
    for (unsigned i = threadIdx.x; i < count; i += blockDim.x) acc += partial[i];
    part[threadIdx.x] = acc;
    ebm_block_tree(part);
    return part[0];
}

// result[0] = sum of partial[0 .. count), in a fixed order; one block.
extern "C" __global__ void sum_finish(const double* partial, unsigned count, double* result) {
    double total = ebm_block_total(partial, count);
    if (threadIdx.x == 0) result[0] = total;
}

// sums[slot] = (float) (sum of partial[0 .. count)), the same total as sum_finish, left on the device so
// that a training loop reads a whole epoch's losses at once; one block.
extern "C" __global__ void sum_finish_into(const double* partial, unsigned count, float* sums, unsigned slot) {
    double total = ebm_block_total(partial, count);
    if (threadIdx.x == 0) sums[slot] = (float)total;
}

// A bias's momentum-SGD step, one thread per column j, with S_d and S_m the column sums of data and model
// in double:
//   velocity[j] = (float) (dataScale * S_d + keep * velocity[j])   (velocity not read when keep == 0),
//   velocity[j] = (float) (modelScale * S_m + velocity[j]),  parameter[j] += velocity[j];
// the arithmetic of column_sums_finish twice and axpy_values once. With partial null each thread sums its
// column over all rows itself (small batches: the whole step is this one launch); otherwise partial holds
// dataChunks then modelChunks rows of column_sums_partial output, added in chunk order as
// column_sums_finish adds them, so the result equals the unfused launches to the bit.
extern "C" __global__ void bias_momentum_step(const float* data, unsigned dataRows, float dataScale, const float* model,
                                              unsigned modelRows, float modelScale, float keep, float* velocity,
                                              float* parameter, unsigned cols, const double* partial,
                                              unsigned dataChunks, unsigned modelChunks) {
    EBM_GRID_STRIDE(j, cols) {
        double sd = 0.0, sm = 0.0;
        if (partial != 0) {
            for (unsigned c = 0; c < dataChunks; c++) sd += partial[c * cols + j];
            for (unsigned c = 0; c < modelChunks; c++) sm += partial[(dataChunks + c) * cols + j];
        } else {
            for (unsigned r = 0; r < dataRows; r++) sd += (double)data[r * cols + j];
            for (unsigned r = 0; r < modelRows; r++) sm += (double)model[r * cols + j];
        }
        double v = (double)dataScale * sd;
        if (keep != 0.0f) v += (double)keep * (double)velocity[j];
        float first = (float)v;
        float second = (float)((double)modelScale * sm + (double)1.0f * (double)first);
        velocity[j] = second;
        parameter[j] = parameter[j] + 1.0f * second;
    }
}

// Softmax with cross-entropy, one thread per row (classifier outputs have few columns, so a row
// is a short serial loop; rows give the parallelism). For row r of logits z (k columns), with
// m = max_j z[r, j] subtracted before exp and s = sum_j exp(z - m):
//   probs[r, j] = exp(z - m) / s; grad[r, j] = probs[r, j] - t[r, j];
//   loss[r] = -sum_{j: t != 0} t[r, j] * (z[r, j] - m - log s).
// probs, grad, loss may each be null. A row with NaN or +inf, or only -inf, gives NaN throughout.
// Every element is read before it is written, so probs/grad may alias z or t exactly.
extern "C" __global__ void softmax_cross_entropy(const float* z, const float* t, float* probs, float* grad,
                                                 float* loss, unsigned rows, unsigned k) {
    EBM_GRID_STRIDE(r, rows) {
        const float* zr = z + (unsigned long long)r * k;
        const float* tr = t + (unsigned long long)r * k;
        float m = -INFINITY;
        bool bad = false;
        for (unsigned j = 0; j < k; j++) {
            float v = zr[j];
            bad = bad || v != v || v == INFINITY;
            m = v > m ? v : m;
        }
        bad = bad || m == -INFINITY;
        double s = 0.0;
        for (unsigned j = 0; j < k; j++) s += (double)expf(zr[j] - m);
        float logS = (float)log(s);
        float inv = (float)(1.0 / s);
        if (loss != 0) {
            double l = 0.0;
            for (unsigned j = 0; j < k; j++) {
                float tj = tr[j];
                if (tj != 0.0f) l -= (double)tj * (double)(zr[j] - m - logS);
            }
            loss[r] = bad ? NAN : (float)l;
        }
        float* pr = probs != 0 ? probs + (unsigned long long)r * k : 0;
        float* gr = grad != 0 ? grad + (unsigned long long)r * k : 0;
        for (unsigned j = 0; j < k; j++) {
            float pj = bad ? NAN : expf(zr[j] - m) * inv;
            float tj = tr[j];
            if (pr != 0) pr[j] = pj;
            if (gr != 0) gr[j] = pj - tj;
        }
    }
}

// out[r] = the first index of the largest non-NaN x[r, j], as a float; 0 for a row of NaN only.
// One thread per row.
extern "C" __global__ void argmax_rows(const float* x, unsigned rows, unsigned cols, float* out) {
    EBM_GRID_STRIDE(r, rows) {
        const float* xr = x + (unsigned long long)r * cols;
        int best = -1;
        float bestValue = 0.0f;
        for (unsigned j = 0; j < cols; j++) {
            float v = xr[j];
            if (v == v && (best < 0 || v > bestValue)) {
                best = (int)j;
                bestValue = v;
            }
        }
        out[r] = (float)(best < 0 ? 0 : best);
    }
}
