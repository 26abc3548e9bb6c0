package org.ebm4j.cuda;

import jcuda.Pointer;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.jcublas.cublasStatus;
import jcuda.runtime.cudaStream_t;

/**
 * SGEMM through cuBLAS (JCublas2 12.6.0, which needs CUDA 12's {@code libcublas.so.12}): what JDK 17
 * runs when cuBLAS is installed, and JDK 22+ when {@link CublasFfm} finds no cuBLAS of its own. The
 * row-major to column-major mapping is {@link CublasCall}'s. Device pointers ({@code CUdeviceptr} is
 * a {@code Pointer}) go in directly; alpha and beta are host scalars (the default pointer mode).
 */
final class CublasGemm extends CublasSgemm {
    private final cublasHandle handle;
    private final float[] alphaHost = new float[1];
    private final float[] betaHost = new float[1];
    private final Pointer alphaPointer = Pointer.to(alphaHost);
    private final Pointer betaPointer = Pointer.to(betaHost);

    private CublasGemm(cublasHandle handle, String description) {
        super(description);
        this.handle = handle;
    }

    /**
     * cuBLAS on the current context and {@code context}'s stream, TF32 tensor-core math when asked for,
     * or why not: JCublas2's native library throws {@link UnsatisfiedLinkError} without libcublas.so.12.
     */
    static GemmSelection.Attempt<DeviceGemm> tryCreate(CudaContext context, boolean tf32) {
        try {
            JCublas2.setExceptionsEnabled(false);
            cublasHandle h = new cublasHandle();
            int status = JCublas2.cublasCreate(h);
            if (status != cublasStatus.CUBLAS_STATUS_SUCCESS) {
                return GemmSelection.Attempt.failed("JCublas2: cublasCreate failed: " + CublasStatus.name(status));
            }
            // on the backend's stream, so a GEMM stays ordered with the kernels around it
            status = JCublas2.cublasSetStream(h, new cudaStream_t(context.stream()));
            if (status == cublasStatus.CUBLAS_STATUS_SUCCESS) {
                status = JCublas2.cublasSetMathMode(h, CublasFfm.mathMode(tf32));
            }
            if (status != cublasStatus.CUBLAS_STATUS_SUCCESS) {
                JCublas2.cublasDestroy(h);
                return GemmSelection.Attempt.failed("JCublas2: cublasSetStream/cublasSetMathMode failed: "
                        + CublasStatus.name(status));
            }
            int[] v = {0};
            JCublas2.cublasGetVersion(h, v);
            return GemmSelection.Attempt.loaded(new CublasGemm(h, "cuBLAS " + CublasStatus.version(v[0])
                    + " via JCublas2 12.6.0, " + (tf32 ? "TF32 tensor cores" : "FP32")));
        } catch (LinkageError e) {
            String msg = String.valueOf(e.getMessage());
            return GemmSelection.Attempt.failed(msg.contains("libcublas") ? "JCublas2: libcublas.so.12 not found (JCublas2 12.6.0"
                    + " needs CUDA 12's cuBLAS; CUDA 13 ships libcublas.so.13 only)"
                    : "JCublas2: " + e.getClass().getSimpleName() + ": " + firstLine(msg));
        }
    }

    static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    @Override
    int sgemm(CublasCall call, float alpha, CudaTensor first, CudaTensor second, float beta, CudaTensor c) {
        alphaHost[0] = alpha;
        betaHost[0] = beta;
        return JCublas2.cublasSgemm(handle, call.opFirst(), call.opSecond(), call.m(), call.n(), call.k(), alphaPointer,
                first.pointer(), call.ldFirst(), second.pointer(), call.ldSecond(), betaPointer, c.pointer(), call.ldc());
    }

    @Override
    public void close() {
        JCublas2.cublasDestroy(handle);
    }
}
