package org.ebm4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageGridTest {
    @TempDir
    Path dir;

    private static int grey(BufferedImage img, int x, int y) {
        return img.getRaster().getSample(x, y, 0);
    }

    @Test
    void rowsAreLaidOutWithBordersAndScale() throws Exception {
        // Two 2x3 tiles: values 0..1 ramp; grid of 2 columns, scale 2.
        float[] v = {0f, 0.5f, 1f, 1f, 0.5f, 0f, 1f, 1f, 1f, 0f, 0f, 0f};
        BufferedImage img = new ImageGrid(2, 3, 2, 2).rows(v, 2);
        assertEquals((2 * 4 + 1) * 2, img.getWidth());
        assertEquals((1 * 3 + 1) * 2, img.getHeight());
        assertEquals(40, grey(img, 0, 0), "border");
        assertEquals(0, grey(img, 2, 2), "tile 0 pixel (0,0) = 0");
        assertEquals(128, grey(img, 4, 2), "tile 0 pixel (0,1) = 0.5");
        assertEquals(255, grey(img, 7, 3), "tile 0 pixel (0,2) = 1, scaled 2x");
        assertEquals(255, grey(img, 10, 2), "tile 1 pixel (0,0) = 1");
        Path png = dir.resolve("g.png");
        ImageGrid.writePng(img, png);
        BufferedImage back = ImageIO.read(png.toFile());
        assertArrayEquals(img.getRaster().getPixels(0, 0, img.getWidth(), img.getHeight(), (int[]) null),
                back.getRaster().getPixels(0, 0, back.getWidth(), back.getHeight(), (int[]) null));
    }

    @Test
    void filtersAreColumnsOfWScaledSymmetrically() {
        // 4 visibles (2x2 tiles), 2 hidden: filter j = column j of W.
        float[] w = {1f, -2f, 0f, 2f, -1f, 0f, 0.5f, 1f};
        BufferedImage img = new ImageGrid(2, 2, 2, 1).filters(w, 4, 2, 2);
        // Filter 0 = (1, 0, -1, 0.5) over [-1, 1]: 255, 128, 0, 191.
        assertEquals(255, grey(img, 1, 1));
        assertEquals(128, grey(img, 2, 1));
        assertEquals(0, grey(img, 1, 2));
        assertEquals(191, grey(img, 2, 2));
        // Filter 1 = (-2, 2, 0, 1) over [-2, 2]: 0, 255, 128, 191.
        assertEquals(0, grey(img, 4, 1));
        assertEquals(255, grey(img, 5, 1));
        assertEquals(128, grey(img, 4, 2));
        assertEquals(191, grey(img, 5, 2), "1 over [-2, 2], not over a range of 1");
        assertThrows(IllegalArgumentException.class, () -> new ImageGrid(3, 3, 2, 1).filters(w, 4, 2, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ImageGrid(2, 2, 2, 1).filters(w, 4, 3, 2));
        assertEquals("a 4x3 weight matrix needs 12 values, found 8", e.getMessage());
        assertArrayEquals(new int[] {28, 28}, ImageGrid.tileShapeFor(784));
        assertArrayEquals(new int[] {1, 10}, ImageGrid.tileShapeFor(10));
    }

    /** Each size must be at least 1 and the scale at most 16; the limits themselves are allowed. */
    @Test
    void theConstructorRefusesEachSizeBelowOneAndAScaleAbove16() {
        new ImageGrid(1, 1, 1, 1);
        new ImageGrid(1, 1, 1, 16);
        for (int[] bad : new int[][] {{0, 1, 1, 1}, {1, 0, 1, 1}, {1, 1, 0, 1}, {1, 1, 1, 0}, {1, 1, 1, 17}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new ImageGrid(bad[0], bad[1], bad[2], bad[3]));
            assertEquals("image grid needs positive tile size and columns and a scale in 1..16, found " + bad[0] + "x"
                    + bad[1] + ", " + bad[2] + " columns, scale " + bad[3], e.getMessage());
        }
    }

    /**
     * Two 2x3 tiles interleaved like the columns of a 6x2 matrix (stride 1, step 2) read indices up to
     * 1 + 5 * 2 = 11: twelve values suffice, eleven are refused naming that index, and no tile is refused.
     */
    @Test
    void theValuesMustReachTheLastIndexTheTilesRead() {
        ImageGrid grid = new ImageGrid(2, 3, 2, 1);
        float[] twelve = new float[12];
        twelve[11] = 1f;
        BufferedImage img = grid.render(twelve, 2, 1, 2, ImageGrid.Scaling.UNIT);
        assertEquals(255, grey(img, 7, 2), "tile 1, pixel (1, 2) is value 1 + 5 * 2");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> grid.render(new float[11], 2, 1, 2, ImageGrid.Scaling.UNIT));
        assertEquals("image grid of 2 tiles of 2x3 needs index 11 but only 11 values were given", e.getMessage());
        // Laid out as rows (stride 6, step 1) the same two tiles read up to index 6 + 5 = 11 too.
        e = assertThrows(IllegalArgumentException.class, () -> grid.rows(new float[11], 2));
        assertEquals("image grid of 2 tiles of 2x3 needs index 11 but only 11 values were given", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> grid.render(twelve, 0, 1, 2, ImageGrid.Scaling.UNIT));
        assertEquals("image grid needs at least one tile", e.getMessage());
    }

    /**
     * Three 2x2 tiles in two columns fill two grid rows (the fourth place stays border grey); with
     * scale 2 every value is a 2x2 block and the 1-pixel borders are 2 pixels wide, none overwritten.
     */
    @Test
    void tilesWrapOntoGridRowsAndScaledPixelsStayInsideTheirTiles() {
        float[] v = {1, 1, 1, 1, 0.5f, 0.5f, 0.5f, 0.5f, 0, 1, 1, 0};
        BufferedImage img = new ImageGrid(2, 2, 2, 2).rows(v, 3);
        assertEquals((2 * 3 + 1) * 2, img.getWidth());
        assertEquals((2 * 3 + 1) * 2, img.getHeight());
        int[] expected = {
            // one grid pixel per entry, each 2x2 in the image: border 40, tile 0 (255), tile 1 (128), tile 2 (0 255 / 255 0)
            40, 40, 40, 40, 40, 40, 40,
            40, 255, 255, 40, 128, 128, 40,
            40, 255, 255, 40, 128, 128, 40,
            40, 40, 40, 40, 40, 40, 40,
            40, 0, 255, 40, 40, 40, 40,
            40, 255, 0, 40, 40, 40, 40,
            40, 40, 40, 40, 40, 40, 40};
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                assertEquals(expected[(y / 2) * 7 + x / 2], grey(img, x, y), "pixel (" + x + ", " + y + ")");
            }
        }
    }

    /** A tile of zeros has no range of its own: it is drawn as 0 over [-1, 1], mid-grey, not as 0/0. */
    @Test
    void anAllZeroFilterIsMidGrey() {
        float[] w = {0f, 3f, 0f, -3f, 0f, 1.5f, 0f, 0f};
        BufferedImage img = new ImageGrid(2, 2, 2, 1).filters(w, 4, 2, 2);
        for (int y = 1; y <= 2; y++) {
            for (int x = 1; x <= 2; x++) {
                assertEquals(128, grey(img, x, y), "filter 0 at (" + x + ", " + y + ")");
            }
        }
        // Filter 1 = (3, -3, 1.5, 0) over [-3, 3]: 255, 0, 191, 128.
        assertEquals(255, grey(img, 4, 1));
        assertEquals(0, grey(img, 5, 1));
        assertEquals(191, grey(img, 4, 2));
        assertEquals(128, grey(img, 5, 2));
    }
}
