package org.ebm4j.cuda;

import java.nio.charset.StandardCharsets;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.JCudaDriver;

/**
 * What the driver says about one device, asked once when its {@link CudaContext} opens: the name,
 * the compute capability, the number of streaming multiprocessors (SMs, for sizing grids), the
 * driver's CUDA version and the device memory.
 *
 * @param name            the device's name, e.g. "NVIDIA H200"
 * @param computeMajor    the compute capability's major number
 * @param computeMinor    the compute capability's minor number
 * @param multiprocessors the streaming multiprocessors
 * @param driverCode      the driver's CUDA version as the driver gives it (13000 for 13.0)
 * @param totalMemory     device memory in bytes
 */
record DeviceInfo(String name, int computeMajor, int computeMinor, int multiprocessors, int driverCode,
                  long totalMemory) {

    /** Asks the driver about {@code device}; its context must be current. */
    static DeviceInfo query(CUdevice device) {
        byte[] name = new byte[256];
        CudaCheck.check(JCudaDriver.cuDeviceGetName(name, name.length, device), "cuDeviceGetName");
        int len = 0;
        while (len < name.length && name[len] != 0) {
            len++;
        }
        int major = attribute(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR,
                "compute capability major");
        int minor = attribute(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR,
                "compute capability minor");
        int sms = attribute(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT, "multiprocessor count");
        int[] version = {0};
        CudaCheck.check(JCudaDriver.cuDriverGetVersion(version), "cuDriverGetVersion");
        long[] bytes = {0};
        CudaCheck.check(JCudaDriver.cuDeviceTotalMem(bytes, device), "cuDeviceTotalMem");
        return new DeviceInfo(new String(name, 0, len, StandardCharsets.US_ASCII), major, minor, sms, version[0],
                bytes[0]);
    }

    private static int attribute(CUdevice device, int attribute, String what) {
        int[] value = {0};
        CudaCheck.check(JCudaDriver.cuDeviceGetAttribute(value, attribute, device), "cuDeviceGetAttribute(" + what + ")");
        return value[0];
    }

    /** e.g. "9.0". */
    String computeCapability() {
        return computeMajor + "." + computeMinor;
    }

    /** The driver's CUDA version, e.g. "13.0" for 13000. */
    String driverVersion() {
        return (driverCode / 1000) + "." + (driverCode % 1000) / 10;
    }
}
