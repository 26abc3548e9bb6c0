package org.ebm4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ebm4j.rbm.TemperedSamples;
import org.ebm4j.tempering.TemperatureLadder;
import org.ebm4j.tensor.Backend;
import picocli.CommandLine.Mixin;

/**
 * A sample command whose family draws by block Gibbs sampling or by parallel tempering
 * ({@code ebm rbm sample}, {@code ebm dbm sample}): {@code --method gibbs|pt} with the tempering flags
 * ({@link SamplingMethodFlags}), and after a tempered run the {@code swap_rates} event.
 */
public abstract class TemperedSampleCommand extends ModelSampleCommand {
    @Mixin
    protected SamplingMethodFlags method;

    /** A command whose picture is {@code defaultPng} unless {@code --out} says otherwise. */
    protected TemperedSampleCommand(String defaultPng) {
        super(defaultPng);
    }

    /** Loads the model on {@code backend}, draws {@code chains} samples by block Gibbs sampling and writes {@code png}. */
    protected abstract void drawGibbs(Backend backend, int chains, int steps, Path png) throws IOException;

    /** The same by parallel tempering over {@code replicas} temperatures of {@code ladder}; returns the samples and swap rates. */
    protected abstract TemperedSamples drawTempered(Backend backend, int chains, int steps, TemperatureLadder ladder,
                                                    int replicas, Path png) throws IOException;

    @Override
    protected final void draw(Backend backend, int chains, int steps, Path png) throws IOException {
        // Checked even where Gibbs sampling leaves it unused: a nonsense value is refused, not ignored.
        int replicas = method.replicas(spec);
        if (!method.tempered(spec)) {
            drawGibbs(backend, chains, steps, png);
            return;
        }
        TemperedSamples t = drawTempered(backend, chains, steps, method.ladder(spec), replicas, png);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("betas", t.betas());
        m.put("swap_rates", t.swapRates());
        output().progress("swap_rates", m);
    }
}
