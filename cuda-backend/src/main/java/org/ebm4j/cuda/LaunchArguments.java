package org.ebm4j.cuda;

import jcuda.NativePointerObject;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;

/**
 * The kernel parameter array of one {@link Kernel}, built once and refilled for every launch: one
 * slot per parameter, each a pointer to the argument's value. Value arguments are written into
 * arrays the slots already point to, and a tensor's slot is the pointer the tensor keeps for this,
 * so a launch allocates no JCuda objects (JCuda reads the slots and the arrays when the launch call
 * is made). Each launch's arguments are checked against the kernel's signature first, so a wrong
 * argument fails in Java with a message instead of corrupting device memory.
 */
final class LaunchArguments {
    private static final Pointer NULL_DEVICE_POINTER = Pointer.to(new long[] {0L});

    private final Kernel kernel;
    private final NativePointerObject[] slots;
    private final Pointer[] valuePointers;
    private final int[][] ints;
    private final float[][] floats;
    private final long[][] longs;
    private final Pointer parameters;

    LaunchArguments(Kernel kernel) {
        this.kernel = kernel;
        int n = kernel.signature.length();
        slots = new NativePointerObject[n];
        valuePointers = new Pointer[n];
        ints = new int[n][];
        floats = new float[n][];
        longs = new long[n][];
        for (int i = 0; i < n; i++) {
            switch (kernel.signature.charAt(i)) {
                case 'P':
                    slots[i] = NULL_DEVICE_POINTER;
                    break;
                case 'I':
                    ints[i] = new int[1];
                    valuePointers[i] = Pointer.to(ints[i]);
                    break;
                case 'F':
                    floats[i] = new float[1];
                    valuePointers[i] = Pointer.to(floats[i]);
                    break;
                case 'L':
                    longs[i] = new long[1];
                    valuePointers[i] = Pointer.to(longs[i]);
                    break;
                default:
                    throw new IllegalStateException("bad signature letter " + kernel.signature.charAt(i) + " for " + kernel);
            }
            if (valuePointers[i] != null) {
                slots[i] = valuePointers[i];
            }
        }
        parameters = Pointer.to(slots);
    }

    /**
     * The parameter array holding {@code args}, after checking them against the kernel's signature.
     * Always the same object for this kernel: valid until the next call.
     */
    Pointer bind(Object... args) {
        String sig = kernel.signature;
        if (args.length != sig.length()) {
            throw new IllegalArgumentException("kernel " + kernel.symbol + " takes " + sig.length() + " arguments (" + sig
                    + ") but was given " + args.length);
        }
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            char kind = sig.charAt(i);
            if (kind == 'P' && a == null) {
                slots[i] = NULL_DEVICE_POINTER;
            } else if (kind == 'P' && a instanceof CudaTensor) {
                slots[i] = ((CudaTensor) a).parameter();
            } else if (kind == 'P' && a instanceof CUdeviceptr) {
                slots[i] = Pointer.to((CUdeviceptr) a);  // workspaces, at offsets: rare enough to allocate
            } else if (kind == 'I' && a instanceof Integer) {
                ints[i][0] = (Integer) a;
            } else if (kind == 'F' && a instanceof Float) {
                floats[i][0] = (Float) a;
            } else if (kind == 'L' && a instanceof Long) {
                longs[i][0] = (Long) a;
            } else {
                throw new IllegalArgumentException("kernel " + kernel.symbol + " argument " + i + " must be "
                        + describe(kind) + " but is " + (a == null ? "null" : a.getClass().getSimpleName()));
            }
        }
        return parameters;
    }

    /** What slot {@code i} points to now: for tests of the binding. */
    NativePointerObject slot(int i) {
        return slots[i];
    }

    /** The value a value slot holds now, as a long (ints and floats' bits widened): for tests. */
    long value(int i) {
        switch (kernel.signature.charAt(i)) {
            case 'I': return ints[i][0];
            case 'F': return Float.floatToRawIntBits(floats[i][0]);
            case 'L': return longs[i][0];
            default: throw new IllegalArgumentException("argument " + i + " of " + kernel.symbol + " is a pointer");
        }
    }

    static boolean isNullPointer(NativePointerObject slot) {
        return slot == NULL_DEVICE_POINTER;
    }

    private static String describe(char kind) {
        switch (kind) {
            case 'P': return "a device pointer";
            case 'I': return "an Integer";
            case 'F': return "a Float";
            default: return "a Long";
        }
    }
}
