package org.ebm4j.boltzmann;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ebm4j.data.CsvReader;
import org.ebm4j.data.Dataset;
import org.ebm4j.data.InvalidDataFileException;
import org.ebm4j.io.ModelFile;
import org.ebm4j.tensor.Backend;

/**
 * The CSV network file that earlier versions of {@code ebm hopfield store} and {@code ebm bm train}
 * wrote, read as an import format ({@link BoltzmannMachine#load} and {@code HopfieldNetwork.load}
 * accept it; models are saved as {@link org.ebm4j.io.ModelFile}s): a header line
 * {@code # ebm4j network key=value ...} (at least {@code units=N}), then {@code N} comma-separated
 * rows of the weight matrix and one row of biases. Hopfield networks and Boltzmann machines add
 * their own keys ({@code kind}, {@code visible}, {@code hidden}, {@code values}, ...).
 *
 * @param header  the key=value pairs of the header line, in order
 * @param weights {@code units x units}, row-major
 * @param bias    {@code units}
 */
public record NetworkFile(Map<String, String> header, int units, float[] weights, float[] bias) {
    public static final String MAGIC = "# ebm4j network";

    /** Whether {@code file} starts like a network file (the test {@code load} methods use to import one). */
    public static boolean isNetworkFile(Path file) throws IOException {
        byte[] magic = MAGIC.getBytes(StandardCharsets.UTF_8);
        byte[] head = new byte[magic.length];
        try (java.io.InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(head, 0, head.length) == head.length && java.util.Arrays.equals(head, magic);
        }
    }

    /** Builds a network from a network file at {@code path}. */
    @FunctionalInterface
    public interface Importer<M> {
        M read(Path path, Backend backend) throws IOException;
    }

    /** Builds a network from a model file already checked to hold its kind; {@code source} names the file in errors. */
    @FunctionalInterface
    public interface ModelReader<M> {
        M read(ModelFile file, String source, Backend backend) throws IOException;
    }

    /**
     * The {@code load} of a couplings-based network: a network file of earlier versions goes to
     * {@code importer}; anything else must be a model file of model {@code kind} (another kind is refused,
     * naming the file, the kind found and {@code description}) and goes to {@code reader}.
     */
    public static <M> M load(Path path, Backend backend, String kind, String description, Importer<M> importer,
                             ModelReader<M> reader) throws IOException {
        if (isNetworkFile(path)) {
            return importer.read(path, backend);
        }
        String source = path.toString();
        return reader.read(ModelFile.read(path).requireModel(kind, description, source), source, backend);
    }

    /** Reads and checks a network file: the header, the shape, finite values. */
    public static NetworkFile read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "network file not found");
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        String first;
        try (BufferedReader r = new BufferedReader(new StringReader(text))) {
            first = r.readLine();
        }
        if (first == null || !first.startsWith(MAGIC)) {
            throw new InvalidDataFileException(file + ": expected the first line to start with '" + MAGIC
                    + "' (a file written by ebm), found " + (first == null ? "an empty file" : "'" + abbreviate(first) + "'"));
        }
        Map<String, String> header = new LinkedHashMap<>();
        for (String token : first.substring(MAGIC.length()).trim().split("\\s+")) {
            if (token.isEmpty()) {
                continue;
            }
            int eq = token.indexOf('=');
            if (eq <= 0) {
                throw new InvalidDataFileException(file + ": header entry '" + token + "' is not key=value");
            }
            header.put(token.substring(0, eq), token.substring(eq + 1));
        }
        int n = parseInt(file, header, "units");
        Dataset rows = new CsvReader(',', CsvReader.Header.ABSENT).read(new StringReader(text), file.toString());
        if (rows.cols() != n || rows.rows() != n + 1) {
            throw new InvalidDataFileException(file + ": a network of " + n + " units needs " + (n + 1) + " rows of " + n
                    + " values (weights, then biases) but the file has " + rows.rows() + " rows of " + rows.cols());
        }
        float[] v = rows.values();
        float[] w = java.util.Arrays.copyOf(v, n * n);
        float[] b = java.util.Arrays.copyOfRange(v, n * n, n * n + n);
        return new NetworkFile(header, n, w, b);
    }

    /** The header's integer {@code key}; a missing or malformed value is an error naming the file. */
    public int intValue(Path file, String key) throws InvalidDataFileException {
        return parseInt(file, header, key);
    }

    /** The header's {@code key}, or an error naming the file. */
    public String value(Path file, String key) throws InvalidDataFileException {
        String v = header.get(key);
        if (v == null) {
            throw new InvalidDataFileException(file + ": header has no '" + key + "' entry");
        }
        return v;
    }

    /** Loads the weights and biases into {@code couplings} (which checks symmetry and the diagonal). */
    public void applyTo(Couplings couplings) {
        if (couplings.size() != units) {
            throw new IllegalArgumentException("the file holds " + units + " units but the network has " + couplings.size());
        }
        couplings.setWeights(weights);
        couplings.setBias(bias);
    }

    private static int parseInt(Path file, Map<String, String> header, String key) throws InvalidDataFileException {
        String v = header.get(key);
        if (v == null) {
            throw new InvalidDataFileException(file + ": header has no '" + key + "' entry");
        }
        try {
            int x = Integer.parseInt(v);
            if (x < 0) {
                throw new NumberFormatException();
            }
            return x;
        } catch (NumberFormatException e) {
            throw new InvalidDataFileException(file + ": header entry " + key + "=" + v + " is not a non-negative integer");
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }
}
