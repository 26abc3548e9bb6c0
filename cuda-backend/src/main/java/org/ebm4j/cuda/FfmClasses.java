package org.ebm4j.cuda;

/**
 * The way to the classes that call native code through the FFM API from code compiled for Java 17.
 * They exist only in {@code META-INF/versions/22} of a jar built with JDK 22 or newer (see the module
 * README), so they are looked up by name: on JDK 17, or from a jar built with JDK 17, the lookup fails
 * and the reason says which.
 */
final class FfmClasses {
    /** The JDK whose FFM API is final, and the release the FFM classes are compiled for. */
    static final int FFM_JDK = 22;

    private FfmClasses() {
    }

    /**
     * Why {@code what}, an FFM class, cannot run on JDK {@code feature} when the class is
     * {@code classPresent}, or null when it can be tried.
     */
    static String unavailable(String what, int feature, boolean classPresent) {
        if (feature < FFM_JDK) {
            return what + ": needs JDK " + FFM_JDK + "+, this is JDK " + feature;
        }
        return classPresent ? null : what + ": this ebm4j-cuda-backend jar was built with a JDK older than "
                + FFM_JDK + " and has no FFM classes (build it with JDK " + FFM_JDK + "+)";
    }

    /** Why {@code what}, the FFM class named {@code className}, cannot run in this JVM, or null when it can be tried. */
    static String unavailable(String what, String className) {
        int feature = Runtime.version().feature();
        return unavailable(what, feature, feature >= FFM_JDK && find(className) != null);
    }

    /** The class named {@code name} when this JVM can see it, else null. */
    static Class<?> find(String name) {
        try {
            return Class.forName(name, false, FfmClasses.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return null;
        }
    }
}
