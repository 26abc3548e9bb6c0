package org.ebm4j.cuda;

import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;
import org.ebm4j.tensor.spi.Probe;

/**
 * The device check behind {@link CudaBackendProvider#probe()}: driver initialization, the requested
 * device, and the kernel modules loaded into its context (which proves the driver accepts the
 * kernels' cubin or PTX). The context stays open, parked in {@link CudaBackendProvider#PROBES}
 * for the first backend on the device.
 */
final class DeviceProbe {
    private DeviceProbe() {
    }

    /** Throws LinkageError when JCuda's native driver binding cannot load; CudaFailure on driver errors. */
    static Probe run(int ordinal) {
        JCudaDriver.setExceptionsEnabled(false);  // first touch: loads libJCudaDriver, which needs libcuda.so.1
        for (String m : Kernel.MODULES) {
            PtxModule.readPtx(m);  // a missing kernels jar is reported before any driver work
        }
        CudaCheck.check(JCudaDriver.cuInit(0), "cuInit(0)");
        int[] count = {0};
        CudaCheck.check(JCudaDriver.cuDeviceGetCount(count), "cuDeviceGetCount");
        String missing = missingDevice(ordinal, count[0]);
        if (missing != null) {
            return Probe.unavailable(missing);
        }
        CudaContext context = new CudaContext(ordinal);
        CudaBackendProvider.PROBES.park(ordinal, context);
        DeviceInfo d = context.info();
        return Probe.ok("device " + ordinal + " of " + count[0] + ": " + d.name() + " (compute "
                + d.computeCapability() + ", " + (d.totalMemory() >> 20) + " MiB, driver CUDA "
                + d.driverVersion() + "; kernels " + context.startup().kernelBinaries() + ")");
    }

    /** Why device {@code ordinal} cannot be used when the driver reports {@code count} devices, or null when it can. */
    static String missingDevice(int ordinal, int count) {
        if (count == 0) {
            return "no CUDA device: the NVIDIA driver is installed but reports no GPU";
        }
        if (ordinal >= count) {
            return "CUDA device " + ordinal + " was requested but the driver reports " + count + " device(s), numbered 0 to "
                    + (count - 1) + " (CUDA_VISIBLE_DEVICES may hide some)";
        }
        return null;
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
