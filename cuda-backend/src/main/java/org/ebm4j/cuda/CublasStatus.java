package org.ebm4j.cuda;

/**
 * Names of {@code cublasStatus_t} codes, for error messages from either cuBLAS binding (the FFM one
 * has no JCublas2 to ask). The values are cuBLAS's, unchanged from CUDA 11 to 13.
 */
final class CublasStatus {
    static final int SUCCESS = 0;

    private CublasStatus() {
    }

    /** e.g. {@code "CUBLAS_STATUS_NOT_INITIALIZED (1)"}; an unknown code is named as such with its value. */
    static String name(int status) {
        String name = switch (status) {
            case 0 -> "CUBLAS_STATUS_SUCCESS";
            case 1 -> "CUBLAS_STATUS_NOT_INITIALIZED";
            case 3 -> "CUBLAS_STATUS_ALLOC_FAILED";
            case 7 -> "CUBLAS_STATUS_INVALID_VALUE";
            case 8 -> "CUBLAS_STATUS_ARCH_MISMATCH";
            case 11 -> "CUBLAS_STATUS_MAPPING_ERROR";
            case 13 -> "CUBLAS_STATUS_EXECUTION_FAILED";
            case 14 -> "CUBLAS_STATUS_INTERNAL_ERROR";
            case 15 -> "CUBLAS_STATUS_NOT_SUPPORTED";
            case 16 -> "CUBLAS_STATUS_LICENSE_ERROR";
            default -> "unknown cuBLAS status";
        };
        return name + " (" + status + ")";
    }

    /** Throws unless {@code status} is success, naming {@code call} and the status. */
    static void check(int status, String call) {
        if (status != SUCCESS) {
            throw new IllegalStateException(call + " failed: " + name(status));
        }
    }

    /** The version number cuBLAS reports (e.g. 130100) as "13.1.0". */
    static String version(int v) {
        return (v / 10000) + "." + (v / 100 % 100) + "." + (v % 100);
    }
}
