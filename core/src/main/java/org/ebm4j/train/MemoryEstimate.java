package org.ebm4j.train;

import java.util.List;

/**
 * The memory a run will allocate, estimated from its shapes before any work, and the refusal of a run
 * that cannot get it: a value under the tensor-size cap can still ask for more heap than the JVM may
 * grow to ({@link Runtime#maxMemory}), and such a run would end in an {@link OutOfMemoryError} after
 * it had begun (and perhaps written) its work. Each options record checks its own sizes through
 * {@link #require} in its {@code requireMemory} method, which its family's {@code fit} or
 * {@code sample} calls first.
 *
 * <p>An estimate counts the arrays that are alive together at the largest point of the run, each as
 * large as the shapes say (float32: 4 bytes a value, double: 8); it leaves out the small ones (a
 * row's workspace, a bias) and the JVM's own, so it is a lower bound on the need: a run it refuses
 * cannot succeed, a run it passes still may not, and then the one failure path reports the
 * out-of-memory in one line.
 */
public final class MemoryEstimate {
    private MemoryEstimate() {
    }

    /** {@code 4 x} the product of {@code dims} in bytes (float32 values), saturating at {@link Long#MAX_VALUE}. */
    public static long floats(long... dims) {
        return bytes(4, dims);
    }

    /** {@code 8 x} the product of {@code dims} in bytes (float64 values), saturating at {@link Long#MAX_VALUE}. */
    public static long doubles(long... dims) {
        return bytes(8, dims);
    }

    /** {@code a + b}, saturating at {@link Long#MAX_VALUE} (both non-negative). */
    public static long sum(long a, long b) {
        long s = a + b;
        return s < 0 ? Long.MAX_VALUE : s;
    }

    /**
     * The bytes of {@code matrices} float matrices for each layer of a stack on {@code visible} units,
     * a layer of width {@code w} on a layer of {@code below} units holding {@code (below + 1) x w}
     * values (the weights and the bias row): of the largest layer alone when {@code largestOnly} (a
     * stack trained one layer at a time), else of all together.
     */
    public static long layerWeights(int matrices, long visible, List<Integer> widths, boolean largestOnly) {
        long total = 0;
        long below = visible;
        for (int w : widths) {
            long layer = floats(matrices, below + 1, w);
            total = largestOnly ? Math.max(total, layer) : sum(total, layer);
            below = w;
        }
        return total;
    }

    /** {@code visible} plus the {@code widths}: the units of a stack. */
    public static long units(long visible, List<Integer> widths) {
        return visible + widths.stream().mapToLong(Integer::longValue).sum();
    }

    private static long bytes(int size, long... dims) {
        double v = size;
        for (long d : dims) {
            v *= d;
        }
        return v >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) v;
    }

    /**
     * Refuses a run whose estimate for what {@code setting} sizes does not fit in the heap this JVM may
     * grow to: a {@link SettingException} naming the setting, the estimate and the limit.
     *
     * @param setting the key of the setting that sizes the allocation, e.g. {@code hidden}
     * @param bytes   the estimate, e.g. from {@link #floats}
     * @param what    what the bytes are for, e.g. "the 784x2000000 weights with their gradient and momentum"
     */
    public static void require(String setting, long bytes, String what) {
        long max = Runtime.getRuntime().maxMemory();
        if (bytes > max) {
            throw new SettingException(setting, what + " need about " + mib(bytes) + " MiB, more than the " + mib(max)
                    + " MiB this JVM may use (lower it or raise the heap with -Xmx)");
        }
    }

    private static long mib(long bytes) {
        return bytes == Long.MAX_VALUE ? bytes >> 20 : (bytes + (1 << 20) - 1) >> 20;
    }
}
