package org.ebm4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.ebm4j.boltzmann.BarsAndStripes;
import org.ebm4j.boltzmann.BoltzmannMachine;
import org.ebm4j.boltzmann.UnitValues;
import org.ebm4j.data.Dataset;

/**
 * The data of {@code ebm bm}: the built-in bars-and-stripes set or a CSV of binary rows, in the
 * machine's unit values.
 *
 * @param name what {@code --data} named ({@code bars-and-stripes} or the file)
 * @param data the rows
 * @param side the bars-and-stripes grid side, or 0 for a CSV
 */
record BmData(String name, Dataset data, int side) {

    static BmData load(String spec, int side, UnitValues units) throws IOException {
        if (spec.equalsIgnoreCase(BarsAndStripes.NAME) || spec.equalsIgnoreCase("bas")) {
            return new BmData(BarsAndStripes.NAME, BarsAndStripes.dataset(side, units), side);
        }
        return new BmData(spec, BinaryRows.read(Path.of(spec), units), 0);
    }

    /** The bars-and-stripes side of the data {@code machine} was trained on (its provenance), or 0. */
    static int sideOf(BoltzmannMachine machine) {
        return BarsAndStripes.sideOf(machine.provenance().get("data.source"));
    }

    boolean isBarsAndStripes() {
        return side > 0;
    }

    int rows() {
        return data.rows();
    }

    int cols() {
        return data.cols();
    }
}
