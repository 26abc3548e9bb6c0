package org.ebm4j.cuda;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;

/** The way to {@code FfmCublasGemm}, cuBLAS through the FFM API ({@link FfmClasses}). */
final class CublasFfm {
    /** The cuBLAS libraries the FFM binding tries, in order: CUDA 13's, then CUDA 12's. */
    static final List<String> LIBRARIES = List.of("libcublas.so.13", "libcublas.so.12");
    static final String CLASS_NAME = "org.ebm4j.cuda.FfmCublasGemm";
    private static final String WHAT = "cuBLAS via FFM";

    private CublasFfm() {
    }

    /** {@code cublasMath_t}: TF32 tensor-core math when asked for, else the default (FP32, no tensor cores). */
    static int mathMode(boolean tf32) {
        return tf32 ? 3 : 0;
    }

    /**
     * Why the FFM binding cannot run on JDK {@code feature} when its class is {@code classPresent},
     * or null when it can be tried.
     */
    static String unavailable(int feature, boolean classPresent) {
        return FfmClasses.unavailable(WHAT, feature, classPresent);
    }

    /** The FFM class when this JVM can see it, else null. */
    static Class<?> ffmClass() {
        return FfmClasses.find(CLASS_NAME);
    }

    /** cuBLAS through FFM on {@code context}'s stream, or why not. */
    static GemmSelection.Attempt<DeviceGemm> tryCreate(CudaContext context, boolean tf32) {
        String why = FfmClasses.unavailable(WHAT, CLASS_NAME);
        if (why != null) {
            return GemmSelection.Attempt.failed(why);
        }
        try {
            Method create = ffmClass().getDeclaredMethod("create", CudaContext.class, boolean.class);
            return GemmSelection.Attempt.loaded((DeviceGemm) create.invoke(null, context, tf32));
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            return GemmSelection.Attempt.failed("cuBLAS via FFM: " + CublasGemm.firstLine(String.valueOf(cause.getMessage())));
        } catch (ReflectiveOperationException e) {
            return GemmSelection.Attempt.failed("cuBLAS via FFM: " + e);
        }
    }
}
