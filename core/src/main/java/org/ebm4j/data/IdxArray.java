package org.ebm4j.data;

/**
 * The contents of an IDX file of unsigned bytes (type code {@code 0x08}): its dimensions as the
 * header declares them and the {@code product(dims)} data bytes, row-major.
 *
 * @param source where it was read from, for error messages
 * @param dims   1 to 3 dimensions, each positive (for MNIST images: count, rows, cols)
 * @param data   the unsigned bytes, {@code data.length == product(dims)}
 */
public record IdxArray(String source, int[] dims, byte[] data) {

    /** The first dimension: the number of items (images or labels). */
    public int count() {
        return dims[0];
    }

    /** The number of bytes per item: the product of the dimensions after the first. */
    public int itemSize() {
        int s = 1;
        for (int i = 1; i < dims.length; i++) {
            s *= dims[i];
        }
        return s;
    }

    /** Unsigned value of byte {@code i}. */
    public int unsigned(int i) {
        return data[i] & 0xFF;
    }
}
