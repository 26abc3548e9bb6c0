package org.ebm4j.cuda;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;

/**
 * The way to {@code FfmCublasGemm}, cuBLAS through the FFM API, from code compiled for Java 17. That
 * class exists only in {@code META-INF/versions/22} of a jar built with JDK 22 or newer (see the
 * module README), so it is looked up by name: on JDK 17, or from a jar built with JDK 17, the lookup
 * fails and the reason says which.
 */
final class CublasFfm {
    /** The cuBLAS libraries the FFM binding tries, in order: CUDA 13's, then CUDA 12's. */
    static final List<String> LIBRARIES = List.of("libcublas.so.13", "libcublas.so.12");
    /** The JDK whose FFM API is final, and the release the FFM class is compiled for. */
    static final int FFM_JDK = 22;
    static final String CLASS_NAME = "org.ebm4j.cuda.FfmCublasGemm";

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
        if (feature < FFM_JDK) {
            return "cuBLAS via FFM: needs JDK " + FFM_JDK + "+, this is JDK " + feature;
        }
        return classPresent ? null : "cuBLAS via FFM: this ebm4j-cuda-backend jar was built with a JDK older than "
                + FFM_JDK + " and has no FFM classes (build it with JDK " + FFM_JDK + "+)";
    }

    /** The FFM class when this JVM can see it, else null. */
    static Class<?> ffmClass() {
        try {
            return Class.forName(CLASS_NAME, false, CublasFfm.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return null;
        }
    }

    /** cuBLAS through FFM on {@code context}'s stream, or why not. */
    static GemmSelection.Attempt<DeviceGemm> tryCreate(CudaContext context, boolean tf32) {
        int feature = Runtime.version().feature();
        Class<?> c = feature >= FFM_JDK ? ffmClass() : null;
        String why = unavailable(feature, c != null);
        if (why != null) {
            return GemmSelection.Attempt.failed(why);
        }
        try {
            Method create = c.getDeclaredMethod("create", CudaContext.class, boolean.class);
            return GemmSelection.Attempt.loaded((DeviceGemm) create.invoke(null, context, tf32));
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            return GemmSelection.Attempt.failed("cuBLAS via FFM: " + CublasGemm.firstLine(String.valueOf(cause.getMessage())));
        } catch (ReflectiveOperationException e) {
            return GemmSelection.Attempt.failed("cuBLAS via FFM: " + e);
        }
    }
}
