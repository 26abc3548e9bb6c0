package org.ebm4j.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import org.ebm4j.io.ImageGrid;
import org.ebm4j.hmc.EnergyFunction;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;

/**
 * A PNG of a 2-D energy landscape and point sets: the energy on a grid as a heat map (dark = low
 * energy), then data points (white) and samples (orange) on top, and optional outlines (the four
 * squares). The colour scale runs from the grid's lowest energy to {@value #HEADROOM} units above the
 * highest energy of the reference points (the data), so every data region shows its depth and the
 * walls around it. Only the first two coordinates of the points are drawn.
 */
final class LandscapePlot {
    static final double HEADROOM = 4;
    private static final int SIZE = 640;

    private final double min;
    private final double max;
    private final BufferedImage image = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
    private final Graphics2D g;

    /** A square plot of {@code [min, max]^2}. */
    LandscapePlot(double min, double max) {
        if (!(max > min)) {
            throw new IllegalArgumentException("plot range needs max > min, found " + min + ", " + max);
        }
        this.min = min;
        this.max = max;
        this.g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(new Color(245, 245, 245));
        g.fillRect(0, 0, SIZE, SIZE);
    }

    /**
     * Paints {@code energy} (a 2-D energy) on a 160 x 160 grid; {@code reference} ({@code n x 2}, may be
     * null) sets the top of the colour scale.
     */
    LandscapePlot energy(EnergyFunction energy, float[] reference) {
        if (energy.dimension() != 2) {
            throw new IllegalArgumentException("an energy landscape needs a 2-D energy, found dimension "
                    + energy.dimension());
        }
        int cells = 160;
        float[] xy = new float[cells * cells * 2];
        for (int i = 0; i < cells; i++) {
            for (int j = 0; j < cells; j++) {
                int e = i * cells + j;
                xy[2 * e] = (float) (min + (j + 0.5) * (max - min) / cells);
                xy[2 * e + 1] = (float) (max - (i + 0.5) * (max - min) / cells);
            }
        }
        Backend b = energy.backend();
        float[] es;
        try (Tensor grid = b.fromArray(xy, cells * cells, 2); Tensor e = b.allocate(cells * cells, 1)) {
            energy.energy(grid, e);
            es = e.toArray();
        }
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
            try (Tensor ref = b.fromArray(reference, reference.length / 2, 2);
                 Tensor e = b.allocate(reference.length / 2, 1)) {
                energy.energy(ref, e);
                top = Double.NEGATIVE_INFINITY;
                for (float v : e.toArray()) {
                    if (Float.isFinite(v)) {
                        top = Math.max(top, v);
                    }
                }
                top += HEADROOM;
            }
        }
        double range = Math.max(top - lowest, HEADROOM);
        int px = SIZE / cells;
        for (int i = 0; i < cells; i++) {
            for (int j = 0; j < cells; j++) {
                float v = es[i * cells + j];
                double t = Float.isFinite(v) ? Math.min(1, (v - lowest) / range) : 1;
                g.setColor(heat(t));
                g.fillRect(j * px, i * px, px, px);
            }
        }
        return this;
    }

    // Dark blue (low energy) through teal to pale yellow (high energy).
    private static Color heat(double t) {
        double r = 20 + 235 * Math.pow(t, 1.5);
        double gg = 30 + 215 * t;
        double b = 90 + 80 * Math.sin(Math.PI * t);
        return new Color((int) r, (int) gg, (int) Math.min(255, b));
    }

    /** Points {@code n x dim} row-major (first two coordinates drawn). */
    LandscapePlot points(float[] xy, int dim, Color color, double radius) {
        g.setColor(color);
        int n = xy.length / dim;
        int d = (int) Math.max(1, Math.round(2 * radius));
        for (int i = 0; i < n; i++) {
            int x = toPixel(xy[i * dim], false);
            int y = toPixel(xy[i * dim + 1], true);
            g.fillOval(x - d / 2, y - d / 2, d, d);
        }
        return this;
    }

    /** An axis-aligned rectangle outline in data coordinates. */
    LandscapePlot box(double x0, double y0, double x1, double y1, Color color) {
        g.setColor(color);
        g.setStroke(new BasicStroke(1.5f));
        int a = toPixel(x0, false);
        int b = toPixel(x1, false);
        int c = toPixel(y1, true);
        int d = toPixel(y0, true);
        g.drawRect(Math.min(a, b), Math.min(c, d), Math.abs(b - a), Math.abs(d - c));
        return this;
    }

    /** A circle outline of radius {@code r} around {@code (x, y)}. */
    LandscapePlot circle(double x, double y, double r, Color color) {
        g.setColor(color);
        g.setStroke(new BasicStroke(2f));
        int cx = toPixel(x, false);
        int cy = toPixel(y, true);
        int pr = (int) Math.round(r * SIZE / (max - min));
        g.drawOval(cx - pr, cy - pr, 2 * pr, 2 * pr);
        return this;
    }

    LandscapePlot caption(String text) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        g.setColor(new Color(0, 0, 0, 150));
        g.fillRect(0, SIZE - 24, SIZE, 24);
        g.setColor(Color.WHITE);
        g.drawString(text, 8, SIZE - 7);
        return this;
    }

    void write(Path path) throws IOException {
        g.dispose();
        ImageGrid.writePng(image, path);
    }

    private int toPixel(double v, boolean vertical) {
        double t = (v - min) / (max - min);
        return (int) Math.round((vertical ? 1 - t : t) * SIZE);
    }
}
