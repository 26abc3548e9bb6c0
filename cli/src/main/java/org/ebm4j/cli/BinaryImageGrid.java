package org.ebm4j.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ebm4j.io.ImageGrid;

/**
 * Writes a PNG of small images in a grid: each grid row is a list of images of {@code height x width}
 * values, drawn white where a value is at or above {@code (low + high) / 2} and black below,
 * magnified {@code scale} times and separated by a grey gutter.
 */
final class BinaryImageGrid {
    private static final int GUTTER = 2;
    private static final int BACKGROUND = 0x80;

    private BinaryImageGrid() {
    }

    /**
     * The first {@code count} images of {@code values} ({@code n} values each, row-major) as grid
     * rows of {@code perRow} images.
     */
    static List<List<float[]>> inRows(float[] values, int count, int n, int perRow) {
        List<List<float[]>> grid = new ArrayList<>();
        for (int r = 0; r < count; r += perRow) {
            List<float[]> row = new ArrayList<>();
            for (int c = r; c < Math.min(count, r + perRow); c++) {
                row.add(Arrays.copyOfRange(values, c * n, (c + 1) * n));
            }
            grid.add(row);
        }
        return grid;
    }

    /**
     * Writes ±1 states as black (-1) and white (+1) images {@code height x width}: one grid row per
     * array of {@code rows}, each array holding its images one after another.
     */
    static void writeSpinRows(Path file, int height, int width, int scale, float[]... rows) throws IOException {
        int n = height * width;
        List<List<float[]>> grid = new ArrayList<>();
        for (float[] values : rows) {
            List<float[]> row = new ArrayList<>();
            for (int i = 0; i + n <= values.length; i += n) {
                row.add(Arrays.copyOfRange(values, i, i + n));
            }
            grid.add(row);
        }
        write(file, grid, height, width, scale, -1f, 1f);
    }

    /**
     * @param rows   grid rows; each image is {@code height * width} row-major values
     * @param low    the "off" value (0 or -1)
     * @param high   the "on" value (1)
     */
    static void write(Path file, List<List<float[]>> rows, int height, int width, int scale, float low, float high)
            throws IOException {
        int cols = 0;
        for (List<float[]> r : rows) {
            cols = Math.max(cols, r.size());
        }
        if (rows.isEmpty() || cols == 0) {
            throw new IllegalArgumentException("nothing to draw");
        }
        int cellW = width * scale + GUTTER;
        int cellH = height * scale + GUTTER;
        BufferedImage img = new BufferedImage(cols * cellW + GUTTER, rows.size() * cellH + GUTTER,
                BufferedImage.TYPE_BYTE_GRAY);
        int grey = (BACKGROUND << 16) | (BACKGROUND << 8) | BACKGROUND;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                img.setRGB(x, y, grey);
            }
        }
        float mid = 0.5f * (low + high);
        for (int gr = 0; gr < rows.size(); gr++) {
            List<float[]> row = rows.get(gr);
            for (int gc = 0; gc < row.size(); gc++) {
                float[] pix = row.get(gc);
                if (pix.length != height * width) {
                    throw new IllegalArgumentException("image " + gc + " of grid row " + gr + " has " + pix.length
                            + " values; expected " + height + "x" + width);
                }
                int x0 = GUTTER + gc * cellW;
                int y0 = GUTTER + gr * cellH;
                for (int py = 0; py < height; py++) {
                    for (int px = 0; px < width; px++) {
                        int rgb = pix[py * width + px] >= mid ? 0xFFFFFF : 0x000000;
                        for (int dy = 0; dy < scale; dy++) {
                            for (int dx = 0; dx < scale; dx++) {
                                img.setRGB(x0 + px * scale + dx, y0 + py * scale + dy, rgb);
                            }
                        }
                    }
                }
            }
        }
        ImageGrid.writePng(img, file);
    }
}
