package org.ebm4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.ebm4j.boltzmann.UnitValues;
import org.ebm4j.data.CsvReader;
import org.ebm4j.data.Dataset;

/**
 * Rows of binary values from a CSV file (one row per line, as {@link CsvReader} reads), written
 * either as 0/1 or as -1/+1, in the unit values a model uses ({@link UnitValues#encode} checks them).
 */
final class BinaryRows {
    private BinaryRows() {
    }

    static Dataset read(Path file, UnitValues units) throws IOException {
        return units.encode(new CsvReader().read(file));
    }
}
