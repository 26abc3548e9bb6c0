package org.ebm4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * MNIST-style image sets: the four standard IDX file names in a directory (each plain or
 * gzipped), or the embedded default, the first 10,000 MNIST training images with their labels
 * shipped inside this jar.
 *
 * <p>MNIST is by Yann LeCun, Corinna Cortes and Christopher J.C. Burges, licensed under
 * CC BY-SA 3.0; see the project's NOTICE.
 */
public final class Mnist {
    /** Class-path location of the embedded images (gzipped IDX). */
    public static final String EMBEDDED_IMAGES = "/org/ebm4j/data/mnist-train-10k-images-idx3-ubyte.gz";
    /** Class-path location of the embedded labels (gzipped IDX). */
    public static final String EMBEDDED_LABELS = "/org/ebm4j/data/mnist-train-10k-labels-idx1-ubyte.gz";
    /** Number of images in the embedded set. */
    public static final int EMBEDDED_COUNT = 10_000;

    /** Which half of a standard MNIST directory. */
    public enum Split {
        TRAIN("train"), TEST("t10k");

        private final String prefix;

        Split(String prefix) {
            this.prefix = prefix;
        }

        public String imagesFile() {
            return prefix + "-images-idx3-ubyte";
        }

        public String labelsFile() {
            return prefix + "-labels-idx1-ubyte";
        }

        /** Parses {@code train} or {@code test} (also {@code t10k}). */
        public static Split parse(String s) {
            String v = s.trim().toLowerCase(Locale.ROOT);
            return switch (v) {
                case "train" -> TRAIN;
                case "test", "t10k" -> TEST;
                default -> throw new IllegalArgumentException("split must be train or test, found '" + s + "'");
            };
        }
    }

    private Mnist() {
    }

    /**
     * Loads one split from {@code dir}, which holds {@code train-images-idx3-ubyte},
     * {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte},
     * each optionally with a {@code .gz} suffix. Pixels are scaled to [0, 1].
     */
    public static Dataset load(Path dir, Split split) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "MNIST data directory not found");
        }
        Path images = find(dir, split.imagesFile());
        Path labels = find(dir, split.labelsFile());
        return fromIdx(IdxReader.read(images), IdxReader.read(labels), split.name().toLowerCase(Locale.ROOT) + " "
                + dir);
    }

    /** The embedded first 10,000 MNIST training images with their labels. */
    public static Dataset embedded() throws IOException {
        try (InputStream img = resource(EMBEDDED_IMAGES); InputStream lab = resource(EMBEDDED_LABELS)) {
            return fromIdx(IdxReader.read(img, "embedded:" + EMBEDDED_IMAGES),
                    IdxReader.read(lab, "embedded:" + EMBEDDED_LABELS), "embedded MNIST (first 10,000 training images)");
        }
    }

    /** Pairs an image file (3 dimensions) with a label file (1 dimension) of the same count. */
    public static Dataset fromIdx(IdxArray images, IdxArray labels, String name) throws InvalidDataFileException {
        if (images.dims().length != 3) {
            throw new InvalidDataFileException(images.source() + ": expected an image file with 3 dimensions "
                    + "(count, rows, cols), found " + images.dims().length);
        }
        if (labels.dims().length != 1) {
            throw new InvalidDataFileException(labels.source() + ": expected a label file with 1 dimension (count), found "
                    + labels.dims().length);
        }
        if (images.count() != labels.count()) {
            throw new InvalidDataFileException("image and label counts differ: " + images.source() + " holds "
                    + images.count() + " images but " + labels.source() + " holds " + labels.count() + " labels");
        }
        int n = images.count();
        int h = images.dims()[1];
        int w = images.dims()[2];
        byte[] src = images.data();
        float[] pixels = new float[src.length];
        for (int i = 0; i < src.length; i++) {
            pixels[i] = (src[i] & 0xFF) / 255f;
        }
        int[] lab = new int[n];
        for (int i = 0; i < n; i++) {
            lab[i] = labels.unsigned(i);
        }
        return new Dataset(name, n, h * w, pixels, lab, h, w);
    }

    private static Path find(Path dir, String base) throws IOException {
        Path plain = dir.resolve(base);
        if (Files.isRegularFile(plain)) {
            return plain;
        }
        Path gz = dir.resolve(base + ".gz");
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        throw new NoSuchFileException(plain.toString(), null, "expected " + base + " or " + base
                + ".gz in " + dir + " (the standard MNIST file names; scripts/fetch-mnist.sh downloads them)");
    }

    private static InputStream resource(String path) throws IOException {
        InputStream in = Mnist.class.getResourceAsStream(path);
        if (in == null) {
            throw new NoSuchFileException(path, null, "embedded MNIST resource missing from the class path "
                    + "(the ebm4j-core jar is incomplete)");
        }
        return in;
    }
}
