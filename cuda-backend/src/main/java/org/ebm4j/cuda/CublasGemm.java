package org.ebm4j.cuda;

import jcuda.Pointer;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.jcublas.cublasOperation;
import jcuda.jcublas.cublasStatus;
import jcuda.runtime.cudaStream_t;

/**
 * SGEMM through cuBLAS (JCublas2 12.6.0, which needs CUDA 12's {@code libcublas.so.12}). cuBLAS
 * is column-major: a row-major {@code C = op(A) op(B)} is the column-major
 * {@code C^T = op(B)^T op(A)^T}, so the operands are passed swapped with their own transpose flags.
 * Device pointers ({@code CUdeviceptr} is a {@code Pointer}) go in directly; alpha and beta are
 * host scalars (the default pointer mode).
 */
final class CublasGemm implements DeviceGemm {
    private final cublasHandle handle;
    private final String version;
    private final float[] alphaHost = new float[1];
    private final float[] betaHost = new float[1];
    private final Pointer alphaPointer = Pointer.to(alphaHost);
    private final Pointer betaPointer = Pointer.to(betaHost);

    private CublasGemm(cublasHandle handle, String version) {
        this.handle = handle;
        this.version = version;
    }

    /**
     * cuBLAS on the current context and {@code context}'s stream, or null with {@code whyNot[0]} set
     * when it cannot be loaded (JCublas2's native library throws {@link UnsatisfiedLinkError} without
     * libcublas.so.12).
     */
    static CublasGemm tryCreate(CudaContext context, String[] whyNot) {
        try {
            JCublas2.setExceptionsEnabled(false);
            cublasHandle h = new cublasHandle();
            int status = JCublas2.cublasCreate(h);
            if (status != cublasStatus.CUBLAS_STATUS_SUCCESS) {
                whyNot[0] = "cublasCreate failed: " + cublasStatus.stringFor(status);
                return null;
            }
            // on the backend's stream, so a GEMM stays ordered with the kernels around it
            status = JCublas2.cublasSetStream(h, new cudaStream_t(context.stream()));
            if (status != cublasStatus.CUBLAS_STATUS_SUCCESS) {
                JCublas2.cublasDestroy(h);
                whyNot[0] = "cublasSetStream failed: " + cublasStatus.stringFor(status);
                return null;
            }
            int[] v = {0};
            JCublas2.cublasGetVersion(h, v);
            return new CublasGemm(h, (v[0] / 10000) + "." + (v[0] / 100 % 100) + "." + (v[0] % 100));
        } catch (LinkageError e) {
            String msg = String.valueOf(e.getMessage());
            whyNot[0] = msg.contains("libcublas") ? "cuBLAS unavailable: libcublas.so.12 not found (JCublas2 12.6.0 needs"
                    + " CUDA 12's cuBLAS; CUDA 13 ships libcublas.so.13 only)"
                    : "cuBLAS unavailable: " + e.getClass().getSimpleName() + ": " + firstLine(msg);
            return null;
        }
    }

    static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, CudaTensor a, CudaTensor b,
                     float beta, CudaTensor c) {
        alphaHost[0] = alpha;
        betaHost[0] = beta;
        int status = JCublas2.cublasSgemm(handle,
                transB ? cublasOperation.CUBLAS_OP_T : cublasOperation.CUBLAS_OP_N,
                transA ? cublasOperation.CUBLAS_OP_T : cublasOperation.CUBLAS_OP_N,
                n, m, k, alphaPointer, b.pointer(), b.cols(), a.pointer(), a.cols(), betaPointer, c.pointer(), n);
        if (status != cublasStatus.CUBLAS_STATUS_SUCCESS) {
            throw new IllegalStateException("cublasSgemm(" + m + "x" + n + "x" + k + ") failed: " + cublasStatus.stringFor(status));
        }
    }

    @Override
    public String description() {
        return "cuBLAS " + version + " (JCublas2 12.6.0)";
    }

    @Override
    public void close() {
        JCublas2.cublasDestroy(handle);
    }
}
