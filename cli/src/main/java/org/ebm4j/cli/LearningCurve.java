package org.ebm4j.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ebm4j.train.EpochReport;
import org.ebm4j.train.TrainingListener;
import org.ebm4j.io.ImageGrid;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The learning curve every training command writes beside its model ({@code learning-curve.png}):
 * each metric its reports carry against the epoch (or update), one panel per quantity, a held-out
 * series ({@code ..._heldout}, {@code heldout_...}) in the same panel as its training series. As a
 * {@link TrainingListener} it records the metrics of every {@link EpochReport}, and on resume those of
 * the epochs before the checkpoint ({@link #onPastReport}); commands whose
 * library reports steps instead of epochs {@link #add} them.
 */
public final class LearningCurve implements TrainingListener {
    private static final int WIDTH = 800;
    private static final int PANEL_HEIGHT = 220;

    private final String xLabel;
    /** Panel name -> series name -> points (x, y). */
    private final Map<String, Map<String, XYSeries>> panels = new LinkedHashMap<>();
    private int points;

    /** A curve whose horizontal axis is labelled {@code xLabel} ("epoch", "update"). */
    public LearningCurve(String xLabel) {
        this.xLabel = xLabel;
    }

    @Override
    public void onReport(EpochReport r) {
        add(r.epoch(), r.metrics());
    }

    /** The epochs a resumed run's checkpoint reported: the curve shows the whole run. */
    @Override
    public void onPastReport(int epoch, Map<String, Double> metrics) {
        add(epoch, metrics);
    }

    /** Records {@code metrics} at {@code x}; non-finite values are left out of the picture. */
    public void add(double x, Map<String, Double> metrics) {
        for (Map.Entry<String, Double> e : metrics.entrySet()) {
            double y = e.getValue();
            // Timings are not learning; they stay in the per-epoch events.
            if (!Double.isFinite(y) || e.getKey().endsWith("seconds")) {
                continue;
            }
            String series = e.getKey();
            panels.computeIfAbsent(panel(series), k -> new LinkedHashMap<>())
                    .computeIfAbsent(series, k -> new XYSeries(series.replace('_', ' '), false, true)).add(x, y);
            points++;
        }
    }

    /** Whether any metric was recorded. */
    public boolean isEmpty() {
        return points == 0;
    }

    /** The quantity a metric measures: its name without the held-out or training marker. */
    static String panel(String metric) {
        String p = metric.replace("_heldout", "").replace("heldout_", "").replace("_train", "").replace("train_", "");
        return p.isEmpty() ? metric : p;
    }

    /** Writes the chart as a PNG, one panel per quantity; a chart saying "no metrics" when none was recorded. */
    public void write(Path png, String title) throws IOException {
        NumberAxis x = new NumberAxis(xLabel);
        x.setAutoRangeIncludesZero(false);
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        x.setAutoRangeMinimumSize(2);
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(x);
        plot.setGap(12);
        List<String> names = new ArrayList<>(panels.keySet());
        for (String name : names) {
            XYSeriesCollection data = new XYSeriesCollection();
            panels.get(name).values().forEach(data::addSeries);
            NumberAxis y = new NumberAxis(name.replace('_', ' '));
            y.setAutoRangeIncludesZero(false);
            // A flat series (one epoch, a converged metric) still gets readable tick labels.
            y.setAutoRangeMinimumSize(1e-3);
            XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, data.getItemCount(0) <= 50);
            for (int s = 0; s < data.getSeriesCount(); s++) {
                lines.setSeriesStroke(s, new BasicStroke(2f));
            }
            XYPlot panel = new XYPlot(data, null, y, lines);
            panel.setBackgroundPaint(Color.WHITE);
            panel.setRangeGridlinePaint(Color.LIGHT_GRAY);
            panel.setDomainGridlinePaint(Color.LIGHT_GRAY);
            plot.add(panel);
        }
        if (names.isEmpty()) {
            plot.add(new XYPlot(new XYSeriesCollection(), null, new NumberAxis("no metrics recorded"),
                    new XYLineAndShapeRenderer()));
        }
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        ImageGrid.writePng(chart.createBufferedImage(WIDTH, 80 + PANEL_HEIGHT * Math.max(1, names.size())), png);
    }
}
