package org.ebm4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
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

    static BmData load(DataSource source, int side, UnitValues units) throws IOException {
        if (source.isBuiltIn(BarsAndStripes.NAME)) {
            return new BmData(BarsAndStripes.NAME, BarsAndStripes.dataset(side, units), side);
        }
        return new BmData(source.value(), BinaryRows.read(source.path(), units), 0);
    }

    /** The bars-and-stripes side of the data {@code machine} was trained on (its provenance), or 0. */
    static int sideOf(BoltzmannMachine machine) {
        return BarsAndStripes.sideOf(machine.provenance().get("data.source"));
    }

    /**
     * Writes the first {@code count} of {@code samples} ({@code visible} units each) as black and white
     * images {@code width} pixels wide, ten per row, magnified 8 times for bars-and-stripes and 3 times
     * otherwise.
     */
    static void writePng(Path png, float[] samples, int count, int visible, int width, boolean barsAndStripes,
            UnitValues units) throws IOException {
        List<List<float[]>> grid = BinaryImageGrid.inRows(samples, count, visible, 10);
        BinaryImageGrid.write(png, grid, visible / width, width, barsAndStripes ? 8 : 3, units.low(), units.high());
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
