package org.ebm4j.cuda;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import jcuda.NativePointerObject;
import jcuda.Pointer;

/**
 * The address a JCuda pointer object stands for: its native pointer plus, for a {@link Pointer}, its
 * byte offset. JCuda keeps both in private fields and its {@code equals} ignores the offset, so they
 * are read through VarHandles (JCuda's jar is an unnamed or automatic module, both open to reflection).
 * Needed to hand device pointers and streams to cuBLAS through FFM, and to tell two workspace
 * pointers apart when a step graph compares launches, and to hand JCuda the graph nodes read through FFM.
 */
final class NativeAddress {
    private static final VarHandle NATIVE_POINTER = field(NativePointerObject.class, "nativePointer");
    private static final VarHandle BYTE_OFFSET = field(Pointer.class, "byteOffset");

    private NativeAddress() {
    }

    private static VarHandle field(Class<?> owner, String name) {
        try {
            return MethodHandles.privateLookupIn(owner, MethodHandles.lookup()).findVarHandle(owner, name, long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** {@code p}, made to stand for {@code address}. */
    static <T extends NativePointerObject> T wrap(T p, long address) {
        NATIVE_POINTER.set(p, address);
        return p;
    }

    /** The address {@code p} stands for. */
    static long of(NativePointerObject p) {
        long base = (long) NATIVE_POINTER.get(p);
        return p instanceof Pointer ? base + (long) BYTE_OFFSET.get((Pointer) p) : base;
    }
}
