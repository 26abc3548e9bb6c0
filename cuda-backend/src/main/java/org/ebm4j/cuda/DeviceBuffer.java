package org.ebm4j.cuda;

import jcuda.driver.CUdeviceptr;
import jcuda.driver.JCudaDriver;

/**
 * Device scratch memory that grows on demand and is otherwise reused: the double partial sums of
 * the reductions, the per-chain deltas of unit updates, the row indices of a gather. Sized once
 * per batch shape, so the training loop allocates nothing.
 */
final class DeviceBuffer implements AutoCloseable {
    private final String purpose;
    private CUdeviceptr pointer;
    private long capacity;

    DeviceBuffer(String purpose) {
        this.purpose = purpose;
    }

    /** The buffer, with room for at least {@code bytes}. */
    CUdeviceptr ensure(long bytes) {
        if (bytes > capacity || pointer == null) {
            free();
            long size = Math.max(bytes, Math.max(256, capacity * 2));
            CUdeviceptr p = new CUdeviceptr();
            int status = JCudaDriver.cuMemAlloc(p, size);
            if (status == jcuda.driver.CUresult.CUDA_ERROR_OUT_OF_MEMORY) {
                throw CudaTensor.outOfMemory(size, "the " + purpose + " workspace");
            }
            CudaCheck.check(status, "cuMemAlloc(" + size + " bytes for the " + purpose + " workspace)");
            pointer = p;
            capacity = size;
        }
        return pointer;
    }

    private void free() {
        if (pointer != null) {
            CudaCheck.check(JCudaDriver.cuMemFree(pointer), "cuMemFree(" + purpose + " workspace)");
            pointer = null;
            capacity = 0;
        }
    }

    @Override
    public void close() {
        free();
    }
}
