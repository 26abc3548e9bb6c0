package org.ebm4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.ebm4j.data.CsvReader;
import org.ebm4j.data.Dataset;
import org.ebm4j.data.IdxReader;
import org.ebm4j.data.Mnist;

/**
 * What a {@code --data} value names: a directory of MNIST IDX files, one IDX image file (its label
 * file beside it), a CSV file, or a data set built into ebm. {@link #detect} tells them apart and
 * fails with one line saying what was expected where the value fits none or more than one.
 *
 * @param kind what the value names
 * @param value the value as given (the built-in set's canonical name for {@link Kind#BUILT_IN})
 * @param path the file or directory, or null for a built-in set
 */
public record DataSource(Kind kind, String value, Path path) {

    /** The built-in name of the embedded first 10,000 MNIST training images. */
    public static final String MNIST_10K = "mnist-10k";

    /** The kinds of data {@code --data} can name. */
    public enum Kind {
        MNIST_DIR("a directory of MNIST IDX files"),
        IDX_FILE("an IDX image file"),
        CSV_FILE("a CSV file"),
        BUILT_IN("a built-in data set");

        private final String words;

        Kind(String words) {
            this.words = words;
        }

        /** How messages name the kind. */
        public String words() {
            return words;
        }
    }

    /**
     * What {@code value} names, among the {@code accepted} kinds and {@code builtIns} (names, matched
     * without regard to case). A name that is both a built-in set and an existing path is ambiguous.
     *
     * @throws IllegalArgumentException with a one-line message when the value fits no accepted kind
     */
    public static DataSource detect(String value, Set<Kind> accepted, List<String> builtIns) {
        Path path = Path.of(value);
        boolean exists = Files.exists(path);
        String builtIn = null;
        for (String b : builtIns) {
            if (b.equalsIgnoreCase(value.trim())) {
                builtIn = b;
            }
        }
        if (builtIn != null) {
            if (exists) {
                throw new IllegalArgumentException("'" + value + "' is both the built-in data set and the path "
                        + path.toAbsolutePath() + "; write ./" + value + " for the path");
            }
            return check(new DataSource(Kind.BUILT_IN, builtIn, null), accepted, builtIns);
        }
        if (!exists) {
            throw new IllegalArgumentException("'" + value + "' is no file or directory" + (builtIns.isEmpty() ? ""
                    : " and no built-in data set (" + String.join(", ", builtIns) + ")"));
        }
        Kind kind;
        if (Files.isDirectory(path)) {
            kind = Kind.MNIST_DIR;
        } else {
            String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
            if (name.endsWith(".csv") || name.endsWith(".txt")) {
                kind = Kind.CSV_FILE;
            } else if (name.contains("-ubyte") || name.endsWith(".idx") || name.endsWith(".idx.gz")) {
                kind = Kind.IDX_FILE;
            } else {
                throw new IllegalArgumentException("cannot tell whether " + path + " is a CSV or an IDX file: name a "
                        + "CSV file *.csv and an IDX file *-ubyte[.gz] or *.idx[.gz]");
            }
        }
        return check(new DataSource(kind, value, path), accepted, builtIns);
    }

    private static DataSource check(DataSource d, Set<Kind> accepted, List<String> builtIns) {
        if (!accepted.contains(d.kind)) {
            List<String> words = new ArrayList<>();
            for (Kind k : Kind.values()) {
                if (accepted.contains(k)) {
                    words.add(k == Kind.BUILT_IN ? "a built-in data set (" + String.join(", ", builtIns) + ")"
                            : k.words());
                }
            }
            throw new IllegalArgumentException("expected " + String.join(" or ", words) + " but '" + d.value + "' is "
                    + d.kind.words());
        }
        return d;
    }

    /** Whether this names the built-in set {@code name}. */
    public boolean isBuiltIn(String name) {
        return kind == Kind.BUILT_IN && value.equals(name);
    }

    /** Whether this is an MNIST directory that holds the test split ({@code t10k-images-idx3-ubyte[.gz]}). */
    public boolean hasTestSplit() {
        if (kind != Kind.MNIST_DIR) {
            return false;
        }
        String f = Mnist.Split.TEST.imagesFile();
        return Files.isRegularFile(path.resolve(f)) || Files.isRegularFile(path.resolve(f + ".gz"));
    }

    /**
     * The name written into metadata and messages: {@code mnist:DIR}, {@code idx:FILE},
     * {@code csv:FILE}, or {@code embedded-mnist-10k} for the embedded MNIST subset (the name model
     * files have always recorded), else the built-in set's name.
     */
    public String source() {
        return switch (kind) {
            case MNIST_DIR -> "mnist:" + path;
            case IDX_FILE -> "idx:" + path;
            case CSV_FILE -> "csv:" + path;
            case BUILT_IN -> value.equals(MNIST_10K) ? "embedded-mnist-10k" : value;
        };
    }

    /**
     * Loads images and labels: a split of the MNIST directory, the IDX image file with the label file
     * beside it ({@code ...-images-idx3-ubyte} and {@code ...-labels-idx1-ubyte}), or the embedded
     * subset; a CSV with {@code delimiter}. Built-in sets other than MNIST are each command's own.
     */
    public Dataset load(Mnist.Split split, char delimiter) throws IOException {
        return switch (kind) {
            case MNIST_DIR -> Mnist.load(path, split);
            case IDX_FILE -> Mnist.fromIdx(IdxReader.read(path), IdxReader.read(labelsBeside(path)), "idx " + path);
            case CSV_FILE -> new CsvReader(delimiter, CsvReader.Header.AUTO).read(path);
            case BUILT_IN -> {
                if (!value.equals(MNIST_10K)) {
                    throw new IllegalStateException("the built-in set " + value + " is loaded by its command");
                }
                yield Mnist.embedded();
            }
        };
    }

    private static Path labelsBeside(Path images) throws IOException {
        String name = images.getFileName().toString();
        String labels = name.replace("images-idx3", "labels-idx1");
        Path p = images.resolveSibling(labels);
        if (labels.equals(name) || !Files.isRegularFile(p)) {
            throw new java.nio.file.NoSuchFileException(p.toString(), null, "expected the label file beside the IDX "
                    + "image file " + images + " (…-images-idx3-ubyte beside …-labels-idx1-ubyte)");
        }
        return p;
    }
}
