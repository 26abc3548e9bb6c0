package org.ebm4j.cuda;

import jcuda.Pointer;
import jcuda.Sizeof;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;
import org.ebm4j.tensor.AbstractTensor;

/**
 * A float32 {@code rows x cols} row-major matrix in device memory, owned by a {@link CudaBackend}:
 * usable while both it and its backend are open, and freed by whichever closes first. Host copies
 * ({@link #copyFrom}, {@link #copyTo}) are queued on the backend's stream after the work already
 * there, and return when the host array may be reused.
 */
final class CudaTensor extends AbstractTensor {
    private final CudaBackend owner;
    private final CUdeviceptr pointer = new CUdeviceptr();
    /** This tensor as a kernel argument (a pointer to the device pointer), made once for every launch. */
    private final Pointer parameter = Pointer.to(pointer);
    private final long bytes;

    /**
     * Allocates zero-filled device memory; out of memory is an error naming the requested size. A
     * failed zero fill frees the allocation before the error propagates.
     */
    CudaTensor(CudaBackend owner, int rows, int cols) {
        super(owner, rows, cols);
        this.owner = owner;
        this.bytes = (long) rows * cols * Sizeof.FLOAT;
        CudaContext context = owner.context();
        context.makeCurrent();
        int status = JCudaDriver.cuMemAlloc(pointer, bytes);
        if (status == CUresult.CUDA_ERROR_OUT_OF_MEMORY) {
            throw outOfMemory(bytes, "a " + rows + "x" + cols + " tensor", context);
        }
        CudaCheck.check(status, "cuMemAlloc(" + bytes + " bytes for a " + rows + "x" + cols + " tensor)");
        try {
            context.check(JCudaDriver.cuMemsetD32Async(pointer, 0, (long) rows * cols, context.stream()),
                    "cuMemsetD32Async(" + shape() + " tensor, 0)");
        } catch (RuntimeException e) {
            int freed = JCudaDriver.cuMemFree(pointer);
            if (freed != CUresult.CUDA_SUCCESS) {
                e.addSuppressed(new IllegalStateException("cuMemFree after the failed fill failed too: " + CUresult.stringFor(freed)));
            }
            throw e;
        }
        owner.tensorOpened(this);
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

    Pointer parameter() {
        return parameter;
    }

    /** Pageable host memory: the copy is staged before the call returns, and ordered after the stream's earlier work. */
    @Override
    protected void doCopyFrom(float[] src, int offset) {
        CudaContext context = owner.requireOpen();
        context.hostWork("a copy into a " + shape() + " tensor");
        context.check(JCudaDriver.cuMemcpyHtoDAsync(pointer, Pointer.to(src).withByteOffset((long) offset * Sizeof.FLOAT), bytes,
                context.stream()), "cuMemcpyHtoDAsync(" + bytes + " bytes into a " + shape() + " tensor)");
    }

    @Override
    protected void doCopyTo(float[] dst, int offset) {
        CudaContext context = owner.requireOpen();
        context.hostWork("a copy from a " + shape() + " tensor");
        context.check(JCudaDriver.cuMemcpyDtoHAsync(Pointer.to(dst).withByteOffset((long) offset * Sizeof.FLOAT), pointer, bytes,
                context.stream()), "cuMemcpyDtoHAsync(" + bytes + " bytes from a " + shape() + " tensor)");
        context.synchronize("copying a " + shape() + " tensor to the host");
    }

    /** Frees the device memory; a no-op after the backend closed, since the backend freed it then. */
    @Override
    protected void release() {
        owner.releaseTensor(this);
    }

    /** Called by the owner only, in its context, once. */
    void free() {
        CudaCheck.check(JCudaDriver.cuMemFree(pointer), "cuMemFree(" + shape() + " tensor)");
    }
}
