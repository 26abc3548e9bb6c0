package org.ebm4j.cli;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import org.ebm4j.io.AtomicFiles;
import java.nio.file.Path;
import org.ebm4j.boltzmann.UnitValues;
import org.ebm4j.data.CsvReader;
import org.ebm4j.data.Dataset;

/**
 * Rows of binary values in a CSV file (one row per line, as {@link CsvReader} reads), written
 * either as 0/1 or as -1/+1: read in the unit values a model uses ({@link UnitValues#encode} checks
 * them), written as the values are.
 */
public final class BinaryRows {
    private BinaryRows() {
    }

    static Dataset read(Path file, UnitValues units) throws IOException {
        return units.encode(new CsvReader().read(file));
    }

    /** Writes {@code values} as CSV rows of {@code n} values, whole numbers without a decimal point. */
    public static void write(Path file, float[] values, int n) throws IOException {
        AtomicFiles.write(file, out -> {
            Writer w = new java.io.BufferedWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder();
            for (int r = 0; r < values.length / n; r++) {
                sb.setLength(0);
                for (int i = 0; i < n; i++) {
                    if (i > 0) {
                        sb.append(',');
                    }
                    float v = values[r * n + i];
                    sb.append(v == (int) v ? Integer.toString((int) v) : Float.toString(v));
                }
                w.write(sb.append('\n').toString());
            }
            w.flush();
        });
    }
}
