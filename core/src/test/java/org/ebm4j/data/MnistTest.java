package org.ebm4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistTest {
    @TempDir
    Path dir;

    @Test
    void embeddedSetHoldsTheFirstTenThousandTrainingImages() throws IOException {
        Dataset d = Mnist.embedded();
        assertEquals(Mnist.EMBEDDED_COUNT, d.rows());
        assertEquals(784, d.cols());
        assertEquals(28, d.imageHeight());
        assertEquals(28, d.imageWidth());
        int[] first = {5, 0, 4, 1, 9, 2, 1, 3};
        for (int i = 0; i < first.length; i++) {
            assertEquals(first[i], d.labels()[i], "label " + i);
        }
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        double sum = 0;
        for (float v : d.values()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += v;
        }
        assertEquals(0f, min);
        assertEquals(1f, max);
        double mean = sum / d.values().length;
        // MNIST's mean intensity is about 0.13 (33.3/255); the embedded subset is close to it.
        assertTrue(mean > 0.12 && mean < 0.14, "mean pixel " + mean);
    }

    @Test
    void loadsStandardNamesPlainOrGzipped() throws IOException {
        IdxFiles.write(dir, "train-images-idx3-ubyte.gz", IdxFiles.gzip(IdxFiles.images(7, 2, 3)));
        IdxFiles.write(dir, "train-labels-idx1-ubyte", IdxFiles.labels(7));
        Dataset d = Mnist.load(dir, Mnist.Split.TRAIN);
        assertEquals(7, d.rows());
        assertEquals(6, d.cols());
        assertEquals(2, d.imageHeight());
        assertEquals(3, d.imageWidth());
        assertEquals(6, d.labels()[6]);
        assertEquals(((5 * 37) & 0xFF) / 255f, d.values()[5]);
    }

    @Test
    void differentImageAndLabelCountsNameBothFiles() throws IOException {
        IdxFiles.write(dir, "t10k-images-idx3-ubyte", IdxFiles.images(7, 2, 3));
        IdxFiles.write(dir, "t10k-labels-idx1-ubyte", IdxFiles.labels(6));
        InvalidDataFileException e = assertThrows(InvalidDataFileException.class,
                () -> Mnist.load(dir, Mnist.Split.TEST));
        assertTrue(e.getMessage().contains("holds 7 images") && e.getMessage().contains("holds 6 labels")
                && e.getMessage().contains("t10k-labels-idx1-ubyte"), e.getMessage());
    }

    @Test
    void imageFileMustHaveThreeDimensions() throws IOException {
        IdxFiles.write(dir, "train-images-idx3-ubyte", IdxFiles.labels(7));
        IdxFiles.write(dir, "train-labels-idx1-ubyte", IdxFiles.labels(7));
        InvalidDataFileException e = assertThrows(InvalidDataFileException.class,
                () -> Mnist.load(dir, Mnist.Split.TRAIN));
        assertTrue(e.getMessage().contains("expected an image file with 3 dimensions"), e.getMessage());
    }

    @Test
    void missingFilesSayWhatWasExpected() {
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> Mnist.load(dir, Mnist.Split.TRAIN));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte.gz"), e.getMessage());
    }

    @Test
    void splitParsing() {
        assertEquals(Mnist.Split.TEST, Mnist.Split.parse("Test"));
        assertEquals(Mnist.Split.TRAIN, Mnist.Split.parse("train"));
        assertThrows(IllegalArgumentException.class, () -> Mnist.Split.parse("valid"));
    }
}
