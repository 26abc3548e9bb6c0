package org.ebm4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.ebm4j.boltzmann.UnitValues;
import org.ebm4j.data.CsvReader;
import org.ebm4j.data.Dataset;
import org.ebm4j.data.InvalidDataFileException;

/**
 * Rows of binary values from a CSV file (one row per line, as {@link CsvReader} reads), written
 * either as 0/1 or as -1/+1 (the file decides: every value must belong to one of the two
 * encodings), converted to the unit values a model uses.
 */
final class BinaryRows {
    private BinaryRows() {
    }

    /** The rows, row-major, as {@code units} values; {@code Dataset} shape kept for the column count. */
    static Dataset read(Path file, UnitValues units) throws IOException {
        Dataset d = new CsvReader().read(file);
        float[] v = d.values();
        boolean zeroOne = true;
        boolean spin = true;
        for (float x : v) {
            zeroOne &= x == 0f || x == 1f;
            spin &= x == -1f || x == 1f;
        }
        if (!zeroOne && !spin) {
            for (int k = 0; k < v.length; k++) {
                float x = v[k];
                if (x != 0f && x != 1f && x != -1f) {
                    throw new InvalidDataFileException(file + ": data row " + (k / d.cols() + 1) + ", column "
                            + (k % d.cols() + 1) + " is " + x + "; binary rows must be all 0/1 or all -1/+1");
                }
            }
            throw new InvalidDataFileException(file + ": mixes 0 and -1 values; binary rows must be all 0/1 or all -1/+1");
        }
        float[] out = new float[v.length];
        for (int k = 0; k < v.length; k++) {
            out[k] = units.value(v[k] == 1f);
        }
        return Dataset.of(file.toString(), d.rows(), d.cols(), out);
    }
}
