package org.ebm4j.cuda;

import java.util.HashMap;
import java.util.Map;
import java.util.function.IntFunction;
import org.ebm4j.tensor.spi.Probe;

/**
 * The probe answer of each device, computed once per device and kept, and the device contexts the
 * probes opened, kept for the first backend on that device so that the kernels are loaded (and,
 * where the driver JIT-compiles PTX, compiled) once per device instead of once for the probe and
 * again for the backend. A device whose kernel faulted (a sticky error that poisons its context)
 * answers unavailable from then on, naming the fault.
 */
final class DeviceProbes {
    private final Map<Integer, Probe> answers = new HashMap<>();
    private final Map<Integer, CudaContext> parked = new HashMap<>();

    /** The cached answer for {@code device}, running {@code probe} the first time. */
    synchronized Probe get(int device, IntFunction<Probe> probe) {
        Probe p = answers.get(device);
        if (p == null) {
            p = probe.apply(device);
            answers.put(device, p);
        }
        return p;
    }

    /** Records that {@code device}'s context is unusable for the rest of this process. */
    synchronized void markFaulted(int device, String fault) {
        answers.put(device, Probe.unavailable("CUDA device " + device + " faulted earlier in this process and its context"
                + " cannot be used again (restart the JVM): " + fault));
    }

    /** Keeps the probe's open context of {@code device} for {@link #takeParked}. */
    synchronized void park(int device, CudaContext context) {
        CudaContext old = parked.put(device, context);
        if (old != null) {
            old.close();
        }
    }

    /** The context the probe of {@code device} left open, or null; the caller owns it from now on. */
    synchronized CudaContext takeParked(int device) {
        return parked.remove(device);
    }
}
