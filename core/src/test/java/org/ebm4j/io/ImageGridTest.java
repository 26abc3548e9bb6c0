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
        assertThrows(IllegalArgumentException.class, () -> new ImageGrid(3, 3, 2, 1).filters(w, 4, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> new ImageGrid(2, 2, 2, 1).filters(w, 4, 3, 2));
        assertArrayEquals(new int[] {28, 28}, ImageGrid.tileShapeFor(784));
        assertArrayEquals(new int[] {1, 10}, ImageGrid.tileShapeFor(10));
    }
}
