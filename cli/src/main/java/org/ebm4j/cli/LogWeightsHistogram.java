package org.ebm4j.cli;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.ebm4j.io.ImageGrid;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.statistics.HistogramDataset;

/**
 * The spread of AIS log importance weights as a histogram: an estimate of {@code log Z} is only as
 * good as its weights are even, and a few runs far to the right of the rest mean the estimate rests
 * on them (more runs or temperatures are needed).
 */
public final class LogWeightsHistogram {
    private static final int WIDTH = 800;
    private static final int HEIGHT = 500;

    private LogWeightsHistogram() {
    }

    /** The number of bins for {@code n} weights: about {@code sqrt(n)}, between 5 and 50. */
    static int bins(int n) {
        return Math.max(5, Math.min(50, (int) Math.ceil(Math.sqrt(n))));
    }

    /**
     * Writes the histogram of the finite values of {@code logWeights} as a PNG.
     *
     * @throws IllegalArgumentException when no weight is finite
     */
    public static void write(double[] logWeights, Path png, String title) throws IOException {
        double[] finite = Arrays.stream(logWeights).filter(Double::isFinite).toArray();
        if (finite.length == 0) {
            throw new IllegalArgumentException("no finite log importance weight among the " + logWeights.length
                    + " runs; nothing to draw");
        }
        HistogramDataset data = new HistogramDataset();
        data.addSeries("log importance weights of " + finite.length + " runs", finite, bins(finite.length));
        JFreeChart chart = ChartFactory.createHistogram(title, "log importance weight", "runs", data,
                PlotOrientation.VERTICAL, true, false, false);
        chart.setBackgroundPaint(Color.WHITE);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        ImageGrid.writePng(chart.createBufferedImage(WIDTH, HEIGHT), png);
    }
}
