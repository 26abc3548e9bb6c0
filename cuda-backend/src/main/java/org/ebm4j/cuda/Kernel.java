package org.ebm4j.cuda;

/**
 * Every kernel of the {@code ebm4j-kernels} PTX, with its module and parameter signature, so that a
 * launch with the wrong arguments fails in Java with a message instead of corrupting memory on the
 * device. Signature letters: {@code P} device pointer (a {@link CudaTensor}, a workspace's
 * {@code CUdeviceptr}, or null), {@code I} 32-bit int, {@code F} float, {@code L} 64-bit long. A test checks these
 * against the {@code .param} lists in the PTX.
 */
enum Kernel {
    FILL_VALUE("elementwise", "fill_value", "PIF"),
    COPY_VALUES("elementwise", "copy_values", "PPI"),
    GATHER_ROWS("elementwise", "gather_rows", "PPPII"),
    GATHER_ORDERED_ROWS("elementwise", "gather_ordered_rows", "PPIPIII"),
    MOMENTUM_STEP("elementwise", "momentum_step", "FPPI"),
    ADD_ROW_VECTOR("elementwise", "add_row_vector", "PPFPII"),
    ADD_VALUES("elementwise", "add_values", "PPPI"),
    SUB_VALUES("elementwise", "sub_values", "PPPI"),
    MUL_VALUES("elementwise", "mul_values", "PPPI"),
    SCALE_VALUES("elementwise", "scale_values", "FPPI"),
    AXPY_VALUES("elementwise", "axpy_values", "FPPI"),
    SIGMOID_BIAS("elementwise", "sigmoid_bias", "PPPII"),
    ACTIVATION("elementwise", "activation", "PPPPIII"),
    THRESHOLD_VALUES("elementwise", "threshold_values", "PFFFPI"),

    COLUMN_SUMS_PARTIAL("reduce", "column_sums_partial", "PIIIP"),
    COLUMN_SUMS_FINISH("reduce", "column_sums_finish", "PIIFFP"),
    ROW_SUMS("reduce", "row_sums", "PIIP"),
    SOFTPLUS_ROW_SUMS("reduce", "softplus_row_sums", "PPFIIP"),
    ROW_SQUARED_NORMS("reduce", "row_squared_norms", "PPIIP"),
    SUM_PARTIAL("reduce", "sum_partial", "PPIP"),
    SUM_FINISH("reduce", "sum_finish", "PIP"),
    SUM_FINISH_INTO("reduce", "sum_finish_into", "PIPI"),
    BIAS_MOMENTUM_STEP("reduce", "bias_momentum_step", "PIFPIFFPPIPII"),
    SOFTMAX_CROSS_ENTROPY("reduce", "softmax_cross_entropy", "PPPPPII"),
    ARGMAX_ROWS("reduce", "argmax_rows", "PIIP"),

    PHILOX_WORDS("sampler", "philox_words", "LILIIP"),
    FILL_UNIFORM("sampler", "fill_uniform", "PILIL"),
    FILL_NORMAL("sampler", "fill_normal", "PIFFLIL"),
    SAMPLE_BERNOULLI("sampler", "sample_bernoulli", "PPILIL"),
    SAMPLE_SIGMOID_BERNOULLI("sampler", "sample_sigmoid_bernoulli", "PPFPPIILIL"),
    SAMPLE_GAUSSIAN("sampler", "sample_gaussian", "PPFPIILIL"),
    UNIT_DECIDE("sampler", "unit_decide", "PPPPIIIIFFFLIL"),
    UNIT_FIELD_UPDATE("sampler", "unit_field_update", "PPPIII"),
    LEAPFROG("sampler", "leapfrog", "PPPPFFII"),
    METROPOLIS_DECIDE("sampler", "metropolis_decide", "PPPILIL"),
    METROPOLIS_COPY("sampler", "metropolis_copy", "PPPII"),

    SGEMM_NN("sgemm", "sgemm_nn", "IIIFPIPIFPI"),
    SGEMM_NT("sgemm", "sgemm_nt", "IIIFPIPIFPI"),
    SGEMM_TN("sgemm", "sgemm_tn", "IIIFPIPIFPI"),
    SGEMM_TT("sgemm", "sgemm_tt", "IIIFPIPIFPI"),

    SGEMM2_NN("sgemm2", "sgemm2_nn", "IIIFPIPIFPIIP"),
    SGEMM2_NT("sgemm2", "sgemm2_nt", "IIIFPIPIFPIIP"),
    SGEMM2_TN("sgemm2", "sgemm2_tn", "IIIFPIPIFPIIP"),
    SGEMM2_TT("sgemm2", "sgemm2_tt", "IIIFPIPIFPIIP"),
    SGEMM_SPLITK_REDUCE("sgemm2", "sgemm_splitk_reduce", "IIIPFFPI"),
    SGEMM2_NN_SIGMOID_BERNOULLI("sgemm2", "sgemm2_nn_sigmoid_bernoulli", "IIIPIPIPPPLIL"),
    SGEMM2_NT_SIGMOID_BERNOULLI("sgemm2", "sgemm2_nt_sigmoid_bernoulli", "IIIPIPIPPPLIL");

    /** The PTX modules, in load order. */
    static final String[] MODULES = {"elementwise", "reduce", "sampler", "sgemm", "sgemm2"};

    /** Block size of the shared-memory tree reductions (EBM_REDUCE_THREADS in reduce.cu). */
    static final int REDUCE_THREADS = 128;
    /** SGEMM tile and block shape (EBM_GEMM_* in sgemm.cu). */
    static final int GEMM_TILE = 64;
    static final int GEMM_THREADS = 256;
    /** SGEMM v2 tile, k-slice depth and block shape (EBM_GEMM2_* in sgemm2.cu). */
    static final int GEMM2_TILE = 128;
    static final int GEMM2_DEPTH = 8;
    static final int GEMM2_THREADS = 256;

    final String module;
    final String symbol;
    final String signature;

    Kernel(String module, String symbol, String signature) {
        this.module = module;
        this.symbol = symbol;
        this.signature = signature;
    }
}
