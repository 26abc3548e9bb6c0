package org.ebm4j.cli.rbm;

import java.io.IOException;
import java.nio.file.Path;
import org.ebm4j.cli.SamplePng;
import org.ebm4j.io.ImageGrid;
import org.ebm4j.rbm.Rbm;

/** The PNG pictures of a model: its filters and samples drawn from it. */
final class ModelPictures {
    private ModelPictures() {
    }

    /** Writes up to {@code max} filters (columns of W) as a grid, 10 per row. */
    static void writeFilters(Rbm rbm, int max, Path png) throws IOException {
        int[] tile = ImageGrid.tileShapeFor(rbm.visible());
        int n = Math.min(max, rbm.hidden());
        ImageGrid grid = new ImageGrid(tile[0], tile[1], tile[0] == 1 ? 1 : Math.min(10, n), SamplePng.scaleFor(tile));
        ImageGrid.writePng(grid.filters(rbm.parameters().weights(), rbm.visible(), rbm.hidden(), n), png);
    }

    /** Writes {@link Rbm#sample} ({@code chains} samples, {@code steps} Gibbs steps each) as a grid. */
    static void writeSamples(Rbm rbm, int chains, int steps, long seed, Path png) throws IOException {
        writeSamples(rbm.sample(chains, steps, seed), rbm, chains, png);
    }

    /** Samples drawn from {@code rbm} as a PNG grid. */
    static void writeSamples(org.ebm4j.data.Dataset samples, Rbm rbm, int chains, Path png) throws IOException {
        SamplePng.write(samples.values(), chains, rbm.visible(), null, png);
    }
}
