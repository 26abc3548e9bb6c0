package org.ebm4j.cuda;

import jcuda.driver.CUresult;

/**
 * Turns CUDA driver and cuBLAS status codes into exceptions that name the call that failed, what
 * it was asked to do, and the status. JCuda's own exceptions are left disabled so every failure
 * goes through here.
 */
final class CudaCheck {
    private CudaCheck() {
    }

    /**
     * Throws {@link CudaFailure} unless {@code status} is {@code CUDA_SUCCESS}.
     *
     * @param call the driver call and its salient arguments, e.g. {@code "cuMemAlloc(4000 bytes)"}
     */
    static void check(int status, String call) {
        if (status != CUresult.CUDA_SUCCESS) {
            throw new CudaFailure(call, status, call + " failed: " + CUresult.stringFor(status) + " (" + status + ")");
        }
    }

    /**
     * Whether {@code status} is one of the driver's sticky errors: a fault inside a kernel that
     * leaves the context unusable, so every later call in it fails too.
     */
    static boolean isSticky(int status) {
        switch (status) {
            case CUresult.CUDA_ERROR_ILLEGAL_ADDRESS:
            case CUresult.CUDA_ERROR_LAUNCH_FAILED:
            case CUresult.CUDA_ERROR_MISALIGNED_ADDRESS:
            case CUresult.CUDA_ERROR_ILLEGAL_INSTRUCTION:
            case CUresult.CUDA_ERROR_HARDWARE_STACK_ERROR:
            case CUresult.CUDA_ERROR_INVALID_ADDRESS_SPACE:
            case CUresult.CUDA_ERROR_INVALID_PC:
            case CUresult.CUDA_ERROR_ASSERT:
            case CUresult.CUDA_ERROR_ECC_UNCORRECTABLE:
                return true;
            default:
                return false;
        }
    }

    /** A failed driver call. */
    static final class CudaFailure extends IllegalStateException {
        private static final long serialVersionUID = 1L;
        private final String call;
        private final int status;

        CudaFailure(String call, int status, String message) {
            super(message);
            this.call = call;
            this.status = status;
        }

        String call() {
            return call;
        }

        int status() {
            return status;
        }
    }
}
