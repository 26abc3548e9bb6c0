package org.ebm4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.ebm4j.data.Standardization;
import org.ebm4j.io.ImageGrid;

/**
 * The sample picture of the RBM and DBN commands: visible means of {@code chains} samples in a
 * square-ish grid of image tiles (one column for data that is not an image).
 */
public final class SamplePng {
    private SamplePng() {
    }

    /** Magnification of a tile: small images (up to 32 pixels high) are drawn twice as large. */
    public static int scaleFor(int[] tile) {
        return tile[0] > 1 && tile[0] <= 32 ? 2 : 1;
    }

    /**
     * Writes {@code v} ({@code chains x visible} row-major, overwritten) as a grid, first undoing
     * {@code st} (the per-column standardization of Gaussian visibles; null for none).
     */
    public static void write(float[] v, int chains, int visible, Standardization st, Path png) throws IOException {
        if (st != null) {
            for (int i = 0; i < v.length; i++) {
                v[i] = v[i] * st.std()[i % visible] + st.mean()[i % visible];
            }
        }
        int[] tile = ImageGrid.tileShapeFor(visible);
        int cols = tile[0] == 1 ? 1 : (int) Math.ceil(Math.sqrt(chains));
        ImageGrid grid = new ImageGrid(tile[0], tile[1], cols, scaleFor(tile));
        ImageGrid.writePng(grid.rows(v, chains), png);
    }
}
