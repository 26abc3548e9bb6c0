package org.ebm4j.cuda;

import jcuda.Pointer;
import jcuda.Sizeof;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;
import org.ebm4j.tensor.AbstractTensor;

/**
 * A float32 {@code rows x cols} row-major matrix in device memory, owned by a {@link CudaBackend}.
 * Host copies ({@link #copyFrom}, {@link #copyTo}) are synchronous.
 */
final class CudaTensor extends AbstractTensor {
    private final CudaBackend owner;
    private final CUdeviceptr pointer = new CUdeviceptr();
    private final long bytes;

    /** Allocates zero-filled device memory; out of memory is an error naming the requested size. */
    CudaTensor(CudaBackend owner, int rows, int cols) {
        super(owner, rows, cols);
        this.owner = owner;
        this.bytes = (long) rows * cols * Sizeof.FLOAT;
        owner.context().makeCurrent();
        int status = JCudaDriver.cuMemAlloc(pointer, bytes);
        if (status == CUresult.CUDA_ERROR_OUT_OF_MEMORY) {
            throw outOfMemory(bytes, "a " + rows + "x" + cols + " tensor", owner.context());
        }
        CudaCheck.check(status, "cuMemAlloc(" + bytes + " bytes for a " + rows + "x" + cols + " tensor)");
        owner.tensorOpened();
        CudaCheck.check(JCudaDriver.cuMemsetD32(pointer, 0, (long) rows * cols), "cuMemsetD32(" + shape() + " tensor, 0)");
    }

    static IllegalStateException outOfMemory(long bytes, String what) {
        return new IllegalStateException("CUDA out of memory: could not allocate " + bytes + " bytes ("
                + (bytes >> 20) + " MiB) for " + what + "; free device memory (close unused tensors) or use smaller batches");
    }

    static IllegalStateException outOfMemory(long bytes, String what, CudaContext context) {
        String free = "";
        try {
            long[] info = context.memoryInfo();
            free = " (the device has " + (info[0] >> 20) + " MiB free of " + (info[1] >> 20) + " MiB)";
        } catch (RuntimeException ignored) {
            // the size of the request is the essential part of the message
        }
        return new IllegalStateException("CUDA out of memory: could not allocate " + bytes + " bytes ("
                + (bytes >> 20) + " MiB) for " + what + free + "; close unused tensors or use smaller batches");
    }

    CUdeviceptr pointer() {
        return pointer;
    }

    @Override
    protected void doCopyFrom(float[] src, int offset) {
        owner.context().makeCurrent();
        CudaCheck.check(JCudaDriver.cuMemcpyHtoD(pointer, Pointer.to(src).withByteOffset((long) offset * Sizeof.FLOAT), bytes),
                "cuMemcpyHtoD(" + bytes + " bytes into a " + shape() + " tensor)");
    }

    @Override
    protected void doCopyTo(float[] dst, int offset) {
        owner.context().makeCurrent();
        CudaCheck.check(JCudaDriver.cuMemcpyDtoH(Pointer.to(dst).withByteOffset((long) offset * Sizeof.FLOAT), pointer, bytes),
                "cuMemcpyDtoH(" + bytes + " bytes from a " + shape() + " tensor)");
    }

    @Override
    protected void release() {
        if (!owner.context().isOpen()) {
            return;  // the context, and with it this memory, is already gone
        }
        owner.context().makeCurrent();
        owner.tensorClosed();
        CudaCheck.check(JCudaDriver.cuMemFree(pointer), "cuMemFree(" + shape() + " tensor)");
    }
}
