package org.ebm4j.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.nio.file.Path;
import org.ebm4j.hmc.EnergyFunction;
import org.ebm4j.io.ImageGrid;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYShapeAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.LookupPaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.DefaultXYDataset;
import org.jfree.data.xy.DefaultXYZDataset;

/**
 * A PNG of a 2-D energy landscape and point sets (JFreeChart): the energy on a grid as a heat map
 * (dark = low energy) with its colour scale, then data points and samples on top, optional outlines
 * (the four squares), axes for the first two coordinates and a caption. The colour scale runs from
 * the grid's lowest energy to {@value #HEADROOM} units above the highest energy of the reference
 * points (the data), so every data region shows its depth and the walls around it.
 */
final class LandscapePlot {
    static final double HEADROOM = 4;
    private static final int SIZE = 640;
    private static final int CELLS = 160;

    private final double min;
    private final double max;
    private final XYPlot plot;
    private final JFreeChart chart;
    private int datasets;

    /** A square plot of {@code [min, max]^2}. */
    LandscapePlot(double min, double max) {
        if (!(max > min)) {
            throw new IllegalArgumentException("plot range needs max > min, found " + min + ", " + max);
        }
        this.min = min;
        this.max = max;
        NumberAxis x = new NumberAxis("x0");
        NumberAxis y = new NumberAxis("x1");
        x.setRange(min, max);
        y.setRange(min, max);
        plot = new XYPlot(null, x, y, null);
        plot.setBackgroundPaint(new Color(245, 245, 245));
        plot.setDatasetRenderingOrder(DatasetRenderingOrder.FORWARD);
        chart = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, plot, false);
        chart.setBackgroundPaint(Color.WHITE);
    }

    /**
     * Paints {@code energy} (a 2-D energy) on a 160 x 160 grid with its colour scale; {@code reference}
     * ({@code n x 2}, may be null) sets the top of the scale.
     */
    LandscapePlot energy(EnergyFunction energy, float[] reference) {
        if (energy.dimension() != 2) {
            throw new IllegalArgumentException("an energy landscape needs a 2-D energy, found dimension "
                    + energy.dimension());
        }
        double cell = (max - min) / CELLS;
        float[] xy = new float[CELLS * CELLS * 2];
        for (int i = 0; i < CELLS; i++) {
            for (int j = 0; j < CELLS; j++) {
                int e = i * CELLS + j;
                xy[2 * e] = (float) (min + (j + 0.5) * cell);
                xy[2 * e + 1] = (float) (min + (i + 0.5) * cell);
            }
        }
        float[] es = energies(energy, xy);
        double lowest = Double.POSITIVE_INFINITY;
        double highest = Double.NEGATIVE_INFINITY;
        for (float v : es) {
            if (Float.isFinite(v)) {
                lowest = Math.min(lowest, v);
                highest = Math.max(highest, v);
            }
        }
        double top = highest;
        if (reference != null && reference.length >= 2) {
            top = Double.NEGATIVE_INFINITY;
            for (float v : energies(energy, reference)) {
                if (Float.isFinite(v)) {
                    top = Math.max(top, v);
                }
            }
            top += HEADROOM;
        }
        double[][] grid = new double[3][CELLS * CELLS];
        for (int e = 0; e < CELLS * CELLS; e++) {
            grid[0][e] = xy[2 * e];
            grid[1][e] = xy[2 * e + 1];
            grid[2][e] = Float.isFinite(es[e]) ? es[e] : Double.POSITIVE_INFINITY;
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries("energy", grid);
        LookupPaintScale scale = heat(lowest, lowest + Math.max(top - lowest, HEADROOM));
        XYBlockRenderer blocks = new XYBlockRenderer();
        blocks.setBlockWidth(cell);
        blocks.setBlockHeight(cell);
        blocks.setPaintScale(scale);
        add(data, blocks);
        PaintScaleLegend legend = new PaintScaleLegend(scale, new NumberAxis("energy"));
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setMargin(4, 4, 40, 4);
        chart.addSubtitle(legend);
        return this;
    }

    private static float[] energies(EnergyFunction energy, float[] xy) {
        Backend b = energy.backend();
        try (Tensor points = b.fromArray(xy, xy.length / 2, 2); Tensor e = b.allocate(xy.length / 2, 1)) {
            energy.energy(points, e);
            return e.toArray();
        }
    }

    /** Dark blue (low energy) through teal to pale yellow (high energy) in 64 steps; above the scale, its top colour. */
    private static LookupPaintScale heat(double lower, double upper) {
        int steps = 64;
        LookupPaintScale scale = new LookupPaintScale(lower, upper, heatColor(1));
        for (int k = 0; k < steps; k++) {
            double t = (double) k / (steps - 1);
            scale.add(lower + t * (upper - lower), heatColor(t));
        }
        return scale;
    }

    private static Color heatColor(double t) {
        double r = 20 + 235 * Math.pow(t, 1.5);
        double g = 30 + 215 * t;
        double b = 90 + 80 * Math.sin(Math.PI * t);
        return new Color((int) r, (int) g, (int) Math.min(255, b));
    }

    /** Points {@code n x dim} row-major (first two coordinates drawn). */
    LandscapePlot points(float[] xy, int dim, Color color, double radius) {
        int n = xy.length / dim;
        double[][] series = new double[2][n];
        for (int i = 0; i < n; i++) {
            series[0][i] = xy[i * dim];
            series[1][i] = xy[i * dim + 1];
        }
        DefaultXYDataset data = new DefaultXYDataset();
        data.addSeries("points " + datasets, series);
        XYLineAndShapeRenderer dots = new XYLineAndShapeRenderer(false, true);
        dots.setSeriesPaint(0, color);
        dots.setSeriesShape(0, new Ellipse2D.Double(-radius, -radius, 2 * radius, 2 * radius));
        add(data, dots);
        return this;
    }

    private void add(org.jfree.data.xy.XYDataset data, org.jfree.chart.renderer.xy.XYItemRenderer renderer) {
        plot.setDataset(datasets, data);
        plot.setRenderer(datasets, renderer);
        datasets++;
    }

    /** An axis-aligned rectangle outline in data coordinates. */
    LandscapePlot box(double x0, double y0, double x1, double y1, Color color) {
        plot.addAnnotation(new XYShapeAnnotation(new Rectangle2D.Double(Math.min(x0, x1), Math.min(y0, y1),
                Math.abs(x1 - x0), Math.abs(y1 - y0)), new BasicStroke(1.5f), color));
        return this;
    }

    /** A circle outline of radius {@code r} around {@code (x, y)}. */
    LandscapePlot circle(double x, double y, double r, Color color) {
        plot.addAnnotation(new XYShapeAnnotation(new Ellipse2D.Double(x - r, y - r, 2 * r, 2 * r), new BasicStroke(2f),
                color));
        return this;
    }

    LandscapePlot caption(String text) {
        TextTitle t = new TextTitle(text);
        t.setPosition(RectangleEdge.BOTTOM);
        chart.addSubtitle(t);
        return this;
    }

    void write(Path path) throws IOException {
        ImageGrid.writePng(chart.createBufferedImage(SIZE, SIZE), path);
    }
}
