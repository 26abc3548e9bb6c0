package org.ebm4j.cli;

import me.tongfei.progressbar.ProgressBar;
import org.ebm4j.train.ProgressListener;

/**
 * A library {@link ProgressListener} drawn as a progress bar on stderr (with speed and ETA), or
 * nothing when the command shows no progress ({@link CommonOptions#showsProgress}). The bar opens at
 * the first report, when the total is known; close it when the work is done.
 */
public final class TerminalProgress implements ProgressListener, AutoCloseable {
    private final boolean shown;
    private final String task;
    private final String unit;
    private ProgressBar bar;

    /** Progress of {@code task} counted in {@code unit}s, drawn only if {@code shown}. */
    public TerminalProgress(boolean shown, String task, String unit) {
        this.shown = shown;
        this.task = task;
        this.unit = unit;
    }

    @Override
    public void onProgress(long done, long total) {
        if (!shown) {
            return;
        }
        if (bar == null) {
            bar = ProgressBarListener.bar(task, total, unit);
        }
        bar.stepTo(done);
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
