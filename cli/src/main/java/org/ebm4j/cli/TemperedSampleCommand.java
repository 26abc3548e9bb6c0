package org.ebm4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ebm4j.io.SavedModel;
import org.ebm4j.rbm.TemperedSamples;
import org.ebm4j.tempering.TemperatureLadder;
import picocli.CommandLine.Mixin;

/**
 * A sample command whose family draws by block Gibbs sampling or by parallel tempering
 * ({@code ebm rbm sample}, {@code ebm dbm sample}): {@code --method gibbs|pt} with the tempering flags
 * ({@link SamplingMethodFlags}), and after a tempered run the {@code swap_rates} event.
 *
 * @param <M> the model family
 */
public abstract class TemperedSampleCommand<M extends SavedModel> extends ModelSampleCommand<M> {
    @Mixin
    protected SamplingMethodFlags method;

    private boolean tempered;
    private TemperatureLadder ladder;
    private int replicas;

    /** A command that loads its model with {@code loader}, whose picture is {@code defaultPng} unless {@code --out} says otherwise. */
    protected TemperedSampleCommand(String defaultPng, Loader<M> loader) {
        super(defaultPng, loader);
    }

    /** Draws {@code chains} samples from {@code model} by block Gibbs sampling and writes {@code png}. */
    protected abstract void drawGibbs(M model, int chains, int steps, Path png) throws IOException;

    /** The same by parallel tempering over {@code replicas} temperatures of {@code ladder}; returns the samples and swap rates. */
    protected abstract TemperedSamples drawTempered(M model, int chains, int steps, TemperatureLadder ladder,
                                                    int replicas, Path png) throws IOException;

    @Override
    protected void checkDrawingFlags() {
        // Checked even where Gibbs sampling leaves it unused: a nonsense value is refused, not ignored.
        replicas = method.replicas(spec);
        tempered = method.tempered(spec);
        if (tempered) {
            ladder = method.ladder(spec);
        }
    }

    @Override
    protected final void draw(M model, int chains, int steps, Path png) throws IOException {
        if (!tempered) {
            drawGibbs(model, chains, steps, png);
            return;
        }
        TemperedSamples t = drawTempered(model, chains, steps, ladder, replicas, png);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("betas", t.betas());
        m.put("swap_rates", t.swapRates());
        output().progress("swap_rates", m);
    }
}
