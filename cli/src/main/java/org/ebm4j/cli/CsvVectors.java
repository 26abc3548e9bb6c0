package org.ebm4j.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Real vectors from a CSV file: one vector per line, comma-separated numbers, every line the same
 * length. A first line that does not parse as numbers is taken as a header; blank lines and lines
 * starting with {@code #} are skipped.
 */
final class CsvVectors {
    final int rows;
    final int cols;
    final float[] data;

    private CsvVectors(int rows, int cols, float[] data) {
        this.rows = rows;
        this.cols = cols;
        this.data = data;
    }

    /** @throws IOException naming the file and line of the first problem */
    static CsvVectors read(Path path) throws IOException {
        List<float[]> lines = new ArrayList<>();
        int cols = -1;
        try (BufferedReader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = r.readLine()) != null) {
                number++;
                String t = line.trim();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                String[] parts = t.split(",");
                float[] v = new float[parts.length];
                boolean numeric = true;
                for (int i = 0; i < parts.length; i++) {
                    try {
                        v[i] = Float.parseFloat(parts[i].trim());
                    } catch (NumberFormatException e) {
                        numeric = false;
                        if (!lines.isEmpty() || cols != -1) {
                            throw new IOException(path + " line " + number + " column " + (i + 1) + ": '" + parts[i].trim()
                                    + "' is not a number");
                        }
                        break;
                    }
                    if (!Float.isFinite(v[i])) {
                        throw new IOException(path + " line " + number + " column " + (i + 1) + ": " + v[i]
                                + " is not a finite number");
                    }
                }
                if (!numeric) {
                    cols = parts.length; // header: fixes the width
                    continue;
                }
                if (cols == -1) {
                    cols = v.length;
                } else if (v.length != cols) {
                    throw new IOException(path + " line " + number + " has " + v.length + " values but earlier lines have "
                            + cols);
                }
                lines.add(v);
            }
        }
        if (lines.isEmpty()) {
            throw new IOException(path + " holds no data rows");
        }
        float[] data = new float[lines.size() * cols];
        for (int i = 0; i < lines.size(); i++) {
            System.arraycopy(lines.get(i), 0, data, i * cols, cols);
        }
        return new CsvVectors(lines.size(), cols, data);
    }
}
