package org.ebm4j.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.ebm4j.train.TrainingListener;

/**
 * A progress bar on stderr per epoch: epoch and examples done, throughput (examples/s) and ETA.
 * Updating it from {@link #onBatch} only moves a counter; the library redraws from its own
 * thread. Commands attach it only when stderr is a terminal and {@code --quiet} is off.
 */
public final class ProgressBarListener implements TrainingListener {
    private final int rowsPerEpoch;
    private final int batchRows;
    private int epochs;
    private ProgressBar bar;

    /** @param rowsPerEpoch training examples per epoch; @param batchRows examples per update */
    public ProgressBarListener(int rowsPerEpoch, int batchRows) {
        this.rowsPerEpoch = rowsPerEpoch;
        this.batchRows = batchRows;
    }

    @Override
    public void onStart(int firstEpoch, int epochs, int batchesPerEpoch) {
        this.epochs = epochs;
    }

    @Override
    public void onBatch(int epoch, int batch, int batches) {
        if (bar == null) {
            bar = new ProgressBarBuilder()
                    .setTaskName("epoch " + epoch + "/" + epochs)
                    .setInitialMax(rowsPerEpoch)
                    .setUnit(" img", 1)
                    .showSpeed()
                    .setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(250)
                    .setConsumer(new ConsoleProgressBarConsumer(System.err))
                    .build();
        }
        bar.stepTo(Math.min((long) batch * batchRows, rowsPerEpoch));
    }

    @Override
    public void onEpochEnd(int epoch, double learningRate, double seconds) {
        close();
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
