package org.ebm4j.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.ebm4j.train.TrainingListener;

/**
 * Progress bars on stderr: per epoch of a training run (as a {@link TrainingListener}: batches done,
 * throughput and ETA), and for any other long operation through {@link #bar}. Updating a bar only
 * moves a counter; the library redraws it from its own thread. Commands attach them only when
 * {@link CommonOptions#showsProgress} says so.
 */
public final class ProgressBarListener implements TrainingListener {
    private final boolean wholeRun;
    private int epochs;
    private ProgressBar bar;

    /** A bar per epoch counting its batches (for runs of few, long epochs). */
    public ProgressBarListener() {
        this(false);
    }

    /** With {@code wholeRun}, one bar for the run counting epochs (for runs of many short epochs). */
    public ProgressBarListener(boolean wholeRun) {
        this.wholeRun = wholeRun;
    }

    /** A bar on stderr named {@code task} counting to {@code max} {@code unit}s, with speed and ETA. */
    public static ProgressBar bar(String task, long max, String unit) {
        return new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(max)
                .setUnit(" " + unit, 1)
                .showSpeed()
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(250)
                .setConsumer(new ConsoleProgressBarConsumer(System.err))
                .build();
    }

    @Override
    public void onStart(int firstEpoch, int epochs, int batchesPerEpoch) {
        this.epochs = epochs;
        if (wholeRun) {
            bar = bar("training", epochs - firstEpoch + 1L, "epochs");
        }
    }

    @Override
    public void onBatch(int epoch, int batch, int batches) {
        if (wholeRun) {
            return;
        }
        if (bar == null) {
            bar = bar("epoch " + epoch + "/" + epochs, batches, "batches");
        }
        bar.stepTo(batch);
    }

    @Override
    public void onEpochEnd(int epoch, double learningRate, double seconds) {
        if (wholeRun) {
            bar.step();
        } else {
            close();
        }
    }

    @Override
    public void onEnd() {
        close();
    }

    private void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
