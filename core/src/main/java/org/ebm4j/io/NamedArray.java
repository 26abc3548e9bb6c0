package org.ebm4j.io;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A named float32 array of any rank, its values in C (row-major) order: one entry of an export
 * that other tools read ({@link NpzWriter}, {@link SafetensorsWriter}). A model file holds only
 * {@code rows x cols} matrices; an export may also hold vectors ({@code shape} of length 1),
 * scalars (length 0) and higher ranks, and dimensions of 0.
 *
 * @param name  the name other tools see: not empty, without {@code /}, {@code \} or control
 *              characters (an {@code .npz} entry is a file name)
 * @param shape the dimensions, each at least 0; the record keeps its own copy
 * @param data  the values; its length must be the product of {@code shape} (1 for a scalar)
 */
public record NamedArray(String name, int[] shape, float[] data) {

    public NamedArray {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(data, "data");
        checkName(name);
        shape = shape.clone();
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("array '" + name + "': shape " + Arrays.toString(shape)
                        + " has a negative dimension");
            }
            n *= d;
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("array '" + name + "': shape " + Arrays.toString(shape)
                        + " holds more than " + Integer.MAX_VALUE + " values, more than a Java array can");
            }
        }
        if (n != data.length) {
            throw new IllegalArgumentException("array '" + name + "': shape " + Arrays.toString(shape) + " needs " + n
                    + " values but " + data.length + " were given");
        }
    }

    /** The dimensions (a copy). */
    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** Bytes the values take as little-endian float32. */
    public long byteSize() {
        return 4L * data.length;
    }

    /**
     * The tensors of {@code file}, in the file's order, as {@code rows x cols} arrays with the
     * same values (not copied). {@code rename} maps a tensor's name in the model file to its name
     * in the export; tensors it does not name keep their names.
     *
     * @throws IllegalArgumentException if {@code rename} names a tensor the file lacks, or gives
     *                                  two tensors the same export name
     */
    public static List<NamedArray> fromModelFile(ModelFile file, Map<String, String> rename) {
        Map<String, ModelFile.Entry> tensors = file.tensors();
        for (String from : rename.keySet()) {
            if (!tensors.containsKey(from)) {
                throw new IllegalArgumentException("rename names tensor '" + from + "', which the model file lacks "
                        + "(it has " + tensors.keySet() + ")");
            }
        }
        List<NamedArray> out = new ArrayList<>(tensors.size());
        for (ModelFile.Entry e : tensors.values()) {
            out.add(new NamedArray(rename.getOrDefault(e.name(), e.name()), new int[] {e.rows(), e.cols()}, e.data()));
        }
        requireUniqueNames(out);
        return out;
    }

    /** Throws if two arrays share a name or one takes a name in {@code reserved}. */
    static void requireUniqueNames(List<NamedArray> arrays, String... reserved) {
        Set<String> taken = new HashSet<>(Arrays.asList(reserved));
        Set<String> seen = new LinkedHashSet<>();
        for (NamedArray a : arrays) {
            if (taken.contains(a.name())) {
                throw new IllegalArgumentException("array name '" + a.name() + "' is reserved by the export format "
                        + "for its metadata; rename the array");
            }
            if (!seen.add(a.name())) {
                throw new IllegalArgumentException("two arrays are named '" + a.name() + "'; export names must be "
                        + "unique");
            }
        }
    }

    /** Writes the values as little-endian float32, in chunks so no copy of the whole array is made. */
    void writeDataTo(OutputStream out) throws IOException {
        ModelFile.forEachChunk(data, new byte[1 << 16], (buf, len) -> out.write(buf, 0, len));
    }

    private static void checkName(String name) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("array name is empty");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7F || c == '/' || c == '\\') {
                throw new IllegalArgumentException("array name '" + name.replaceAll("\\p{Cntrl}", "?")
                        + "' has a '/', '\\' or control character at index " + i
                        + "; export names must not (an .npz entry is a file name)");
            }
        }
    }
}
