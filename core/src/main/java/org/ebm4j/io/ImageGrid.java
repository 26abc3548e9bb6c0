package org.ebm4j.io;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Grey-level PNG grids of small images: an RBM's filters (one tile per hidden unit, the unit's
 * weights to every visible) or samples (one tile per row). Tiles are separated by a 1-pixel
 * border; every pixel can be enlarged {@code scale} times.
 */
public final class ImageGrid {
    /** How tile values map to grey levels. */
    public enum Scaling {
        /** Values in [0, 1] map to black..white, clipped (samples, probabilities). */
        UNIT,
        /** Each tile spans its own symmetric range {@code [-max|x|, max|x|]}, 0 mid-grey (weights). */
        PER_TILE_SYMMETRIC
    }

    private final int tileHeight;
    private final int tileWidth;
    private final int columns;
    private final int scale;

    /**
     * @param tileHeight pixels per tile row
     * @param tileWidth  pixels per tile column ({@code tileHeight * tileWidth} values per tile)
     * @param columns    tiles per grid row
     * @param scale      enlargement factor (1 = one image pixel per value)
     */
    public ImageGrid(int tileHeight, int tileWidth, int columns, int scale) {
        if (tileHeight <= 0 || tileWidth <= 0 || columns <= 0 || scale <= 0 || scale > 16) {
            throw new IllegalArgumentException("image grid needs positive tile size and columns and a scale in 1..16, "
                    + "found " + tileHeight + "x" + tileWidth + ", " + columns + " columns, scale " + scale);
        }
        this.tileHeight = tileHeight;
        this.tileWidth = tileWidth;
        this.columns = columns;
        this.scale = scale;
    }

    /**
     * A tile shape for {@code n} values: square when {@code n} is a perfect square (28x28 for
     * MNIST), else a single row.
     */
    public static int[] tileShapeFor(int n) {
        int s = (int) Math.round(Math.sqrt(n));
        return s * s == n ? new int[] {s, s} : new int[] {1, n};
    }

    /** The grid of {@code tiles} tiles read from {@code values}: tile {@code t}, pixel {@code p} is {@code values[t * stride + p * step]}. */
    public BufferedImage render(float[] values, int tiles, int tileStride, int pixelStep, Scaling scaling) {
        int per = tileHeight * tileWidth;
        if (tiles <= 0) {
            throw new IllegalArgumentException("image grid needs at least one tile");
        }
        long last = (long) (tiles - 1) * tileStride + (long) (per - 1) * pixelStep;
        if (last >= values.length) {
            throw new IllegalArgumentException("image grid of " + tiles + " tiles of " + tileHeight + "x" + tileWidth
                    + " needs index " + last + " but only " + values.length + " values were given");
        }
        int cols = Math.min(columns, tiles);
        int rows = (tiles + cols - 1) / cols;
        int width = (cols * (tileWidth + 1) + 1) * scale;
        int height = (rows * (tileHeight + 1) + 1) * scale;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        byte[] px = ((java.awt.image.DataBufferByte) img.getRaster().getDataBuffer()).getData();
        java.util.Arrays.fill(px, (byte) 40);
        for (int t = 0; t < tiles; t++) {
            int base = t * tileStride;
            float lo = 0f;
            float hi = 1f;
            if (scaling == Scaling.PER_TILE_SYMMETRIC) {
                float m = 0f;
                for (int p = 0; p < per; p++) {
                    m = Math.max(m, Math.abs(values[base + p * pixelStep]));
                }
                m = m > 0f ? m : 1f;
                lo = -m;
                hi = m;
            }
            int tx = (t % cols) * (tileWidth + 1) + 1;
            int ty = (t / cols) * (tileHeight + 1) + 1;
            for (int y = 0; y < tileHeight; y++) {
                for (int x = 0; x < tileWidth; x++) {
                    float v = values[base + (y * tileWidth + x) * pixelStep];
                    float u = (v - lo) / (hi - lo);
                    int g = Float.isNaN(u) ? 0 : Math.round(Math.min(Math.max(u, 0f), 1f) * 255f);
                    for (int sy = 0; sy < scale; sy++) {
                        int row = ((ty + y) * scale + sy) * width;
                        for (int sx = 0; sx < scale; sx++) {
                            px[row + (tx + x) * scale + sx] = (byte) g;
                        }
                    }
                }
            }
        }
        return img;
    }

    /** Rows of a row-major {@code n x (tileHeight*tileWidth)} array, values in [0, 1]. */
    public BufferedImage rows(float[] values, int n) {
        return render(values, n, tileHeight * tileWidth, 1, Scaling.UNIT);
    }

    /**
     * The first {@code n} filters of a weight matrix: {@code weights} is row-major
     * {@code visible x hidden} (an RBM's {@code W}), filter {@code j} is its column {@code j}, each
     * scaled to its own range.
     */
    public BufferedImage filters(float[] weights, int visible, int hidden, int n) {
        if (visible != tileHeight * tileWidth) {
            throw new IllegalArgumentException("filters have " + visible + " values but tiles are " + tileHeight
                    + "x" + tileWidth);
        }
        if ((long) visible * hidden != weights.length) {
            throw new IllegalArgumentException("a " + visible + "x" + hidden + " weight matrix needs "
                    + (long) visible * hidden + " values, found " + weights.length);
        }
        return render(weights, Math.min(n, hidden), 1, hidden, Scaling.PER_TILE_SYMMETRIC);
    }

    /**
     * Writes {@code img} as a PNG, atomically ({@link AtomicFiles}). The image is encoded in memory
     * first: ImageIO writing to a file stream reports a full disk as "I/O error writing PNG file!"
     * (and its stream closer may then throw), while here the bytes reach the disk through the same
     * path, and the same messages, as every other file.
     */
    public static void writePng(BufferedImage img, Path path) throws IOException {
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        try (javax.imageio.stream.ImageOutputStream mem = new javax.imageio.stream.MemoryCacheImageOutputStream(png)) {
            if (!ImageIO.write(img, "png", mem)) {
                throw new IOException("no PNG writer available in this Java runtime (module java.desktop)");
            }
        }
        AtomicFiles.write(path, png::writeTo);
    }
}
