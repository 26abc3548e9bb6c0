package org.ebm4j.cuda;

import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;
import org.ebm4j.tensor.spi.Probe;

/**
 * The device check behind {@link CudaBackendProvider#probe()}: driver initialization, a device,
 * and the PTX modules JIT-compiled into its context (which proves the driver accepts the PTX ISA
 * version the kernels were written with).
 */
final class DeviceProbe {
    private DeviceProbe() {
    }

    /** Throws LinkageError when JCuda's native driver binding cannot load; CudaFailure on driver errors. */
    static Probe run() {
        JCudaDriver.setExceptionsEnabled(false);  // first touch: loads libJCudaDriver, which needs libcuda.so.1
        for (String m : Kernel.MODULES) {
            PtxModule.readResource(m);  // a missing kernels jar is reported before any driver work
        }
        CudaCheck.check(JCudaDriver.cuInit(0), "cuInit(0)");
        int[] count = {0};
        CudaCheck.check(JCudaDriver.cuDeviceGetCount(count), "cuDeviceGetCount");
        if (count[0] == 0) {
            return Probe.unavailable("no CUDA device: the NVIDIA driver is installed but reports no GPU");
        }
        try (CudaContext context = new CudaContext(0)) {
            return Probe.ok(context.deviceName() + " (compute " + context.computeCapability() + ", " + (context.totalMemory() >> 20)
                    + " MiB, driver CUDA " + context.driverVersion() + ", " + count[0] + " device(s); using device 0)");
        }
    }

    /** The user-facing reason for a failed driver call during the probe. */
    static String explain(CudaCheck.CudaFailure f) {
        switch (f.status()) {
            case CUresult.CUDA_ERROR_NO_DEVICE:
                return "no CUDA device: " + f.getMessage();
            case CUresult.CUDA_ERROR_SYSTEM_DRIVER_MISMATCH:
                return "the NVIDIA kernel module and libcuda.so.1 are different versions: " + f.getMessage()
                        + " (reinstall the driver or reboot after an upgrade)";
            case CUresult.CUDA_ERROR_UNSUPPORTED_PTX_VERSION:
            case CUresult.CUDA_ERROR_INVALID_PTX:
            case CUresult.CUDA_ERROR_NO_BINARY_FOR_GPU:
                return "the driver cannot compile the ebm4j kernels' PTX (.version 8.0, sm_75): " + f.getMessage()
                        + " (update the NVIDIA driver to CUDA 12.0 or newer)";
            default:
                return "the CUDA driver failed: " + f.getMessage();
        }
    }
}
