package org.ebm4j.cli;

import java.awt.Color;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.ebm4j.energy.EnergyModelFile;
import org.ebm4j.io.AtomicFiles;
import org.ebm4j.energy.TrainableEnergy;
import org.ebm4j.hmc.DenseGaussian;
import org.ebm4j.hmc.EnergyFunction;
import org.ebm4j.hmc.GaussianEnergy;
import org.ebm4j.hmc.HmcDiagnostics;
import org.ebm4j.hmc.HmcOptions;
import org.ebm4j.hmc.HmcResult;
import org.ebm4j.hmc.HmcSampler;
import org.ebm4j.hmc.McseCheck;
import org.ebm4j.hmc.MetropolisSampler;
import org.ebm4j.tensor.Backend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ebm hmc sample}: HMC on a Gaussian with a known dense covariance or on a saved energy model,
 * with warm-up adaptation and the diagnostics (acceptance, divergences, energy error, split R-hat,
 * ESS) as one JSON object.
 */
@Command(name = "sample", sortOptions = false, resourceBundle = "org.ebm4j.cli.HmcSampleCommand",
        description = {"Sample a Gaussian (known covariance) or a saved energy model with HMC and report diagnostics."},
        footer = "Example: ebm hmc sample --dim 100 --chains 8 --warmup 500 --draws 1000 --json")
final class HmcSampleCommand extends CliCommand {
    @Option(names = "--target", paramLabel = "gaussian|model", description = "What to sample (default: ${DEFAULT-VALUE}).")
    String target = "gaussian";

    @Option(names = "--model", paramLabel = "FILE", description = "Energy model file (from ebm energy train); implies --target model.")
    Path model;

    @Option(names = "--dim", paramLabel = "N", description = "Gaussian dimension (default: ${DEFAULT-VALUE}).")
    int dim = 10;

    @Option(names = "--covariance", paramLabel = "random|ar1|identity",
            description = "Gaussian covariance: a random rotation of geometric eigenvalues, AR(1), or identity (default: ${DEFAULT-VALUE}).")
    String covariance = "random";

    @Option(names = "--condition", paramLabel = "X", description = "Condition number of the random covariance (default: ${DEFAULT-VALUE}).")
    double condition = 10;

    @Option(names = "--rho", paramLabel = "X", description = "AR(1) correlation (default: ${DEFAULT-VALUE}).")
    double rho = 0.9;

    @Option(names = "--sampler", paramLabel = "hmc|rwm",
            description = "HMC, or random-walk Metropolis with --step-size as its proposal sd (default: ${DEFAULT-VALUE}).")
    String sampler = "hmc";

    /** The defaults are {@link HmcOptions}'s: 4 chains, 500 warm-up and 500 kept transitions of 10 steps of 0.1. */
    @Mixin
    HmcRunFlags run = new HmcRunFlags(HmcOptions.builder().build());

    @Option(names = "--adapt-mass", description = "Estimate a diagonal mass matrix in Stan's warm-up windows.")
    boolean adaptMass;

    @Option(names = "--jitter", paramLabel = "X", description = "Relative step-size jitter per transition, in [0, 1) (default: ${DEFAULT-VALUE}).")
    double jitter = 0.2;

    @Option(names = "--init-sd", paramLabel = "X", description = "Standard deviation of the random starting points around 0 (default: ${DEFAULT-VALUE}).")
    double initSd = 2;

    @Mixin
    SeedOption seed;

    @Mixin
    CsvPngFlags files;

    @Override
    public Integer call() throws IOException {
        validate();
        return onBackend(this::run);
    }

    private void validate() {
        files.check(spec);
        String t = target.toLowerCase(Locale.ROOT);
        if (model != null) {
            t = "model";
        }
        if (!t.equals("gaussian") && !t.equals("model")) {
            throw FlagChecks.error(spec, "--target must be gaussian or model but was '" + target + "'");
        }
        target = t;
        if (target.equals("model") && model == null) {
            throw FlagChecks.error(spec, "--target model needs --model FILE");
        }
        if (model != null && !Files.isReadable(model)) {
            throw FlagChecks.error(spec, "--model " + model + " is not a readable file");
        }
        FlagChecks.atLeast(spec, "--dim", dim, 1);
        if (!covariance.equals("random") && !covariance.equals("ar1") && !covariance.equals("identity")) {
            throw FlagChecks.error(spec, "--covariance must be random, ar1 or identity but was '" + covariance + "'");
        }
        if (!(condition >= 1) || !Double.isFinite(condition)) {
            throw FlagChecks.error(spec, "--condition must be finite and >= 1 but was " + condition);
        }
        if (!(Math.abs(rho) < 1)) {
            throw FlagChecks.error(spec, "--rho must lie in (-1, 1) but was " + rho);
        }
        options();
        if (!sampler.equals("hmc") && !sampler.equals("rwm")) {
            throw FlagChecks.error(spec, "--sampler must be hmc or rwm but was '" + sampler + "'");
        }
        long values = (long) run.chains * run.draws * (target.equals("gaussian") ? dim : 1);
        if (values > 200_000_000L) {
            throw FlagChecks.error(spec, "--chains x --draws x --dim keeps " + values + " values on the host (limit 2e8); lower --draws or --chains");
        }
    }

    /** The sampler options the flags say; a value out of its range is the usage error of its flag. */
    HmcOptions options() {
        return run.options(spec, HmcOptions.builder().build(), b -> b.adaptMass(adaptMass).stepSizeJitter(jitter)
                .initSd(initSd).seed(seed.value()), 4, "R-hat and ESS need them");
    }

    private int run(Backend backend) throws IOException {
        DenseGaussian gaussian = null;
        EnergyFunction energy;
        AutoCloseable owned;
        if (target.equals("gaussian")) {
            gaussian = switch (covariance) {
                case "ar1" -> DenseGaussian.autoregressive(dim, rho);
                case "identity" -> DenseGaussian.randomRotation(dim, 1, 1, seed.value());
                default -> DenseGaussian.randomRotation(dim, 1 / Math.sqrt(condition), Math.sqrt(condition), seed.value());
            };
            GaussianEnergy g = new GaussianEnergy(backend, gaussian);
            energy = g;
            owned = g;
        } else {
            TrainableEnergy m = EnergyModelFile.load(backend, model);
            energy = m;
            owned = m;
        }
        int d = energy.dimension();
        long start = System.nanoTime();
        HmcResult result;
        try {
            if (sampler.equals("rwm")) {
                result = MetropolisSampler.sample(energy, options());
            } else {
                try (HmcProgress progress = new HmcProgress(common.showsProgress(), run.warmup, run.draws)) {
                    result = HmcSampler.sample(energy, options(), progress);
                }
            }
        } finally {
            try {
                owned.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing the target failed: " + e.getMessage(), e);
            }
        }
        double seconds = secondsSince(start);
        Map<String, Object> out = report(result, gaussian, d, seconds, backend.name());
        if (files.csv() != null) {
            writeCsv(result, d);
            out.put("out", files.csv().toString());
        }
        if (files.png() != null) {
            writePng(result, d, backend);
            out.put("png", files.png().toString());
        }
        print(out);
        return 0;
    }

    private Map<String, Object> report(HmcResult r, DenseGaussian gaussian, int d, double seconds, String backendName) {
        HmcDiagnostics dg = r.diagnostics();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sampler", sampler);
        out.put("backend", backendName);
        out.put("target", target.equals("model") ? "model " + model : "gaussian " + covariance);
        out.put("dim", d);
        out.put("chains", dg.chains());
        out.put("warmup", run.warmup);
        out.put("draws", dg.draws());
        out.put("leapfrog_steps", dg.leapfrogSteps());
        out.put("step_size", dg.stepSize());
        out.put("acceptance_rate", dg.acceptanceRate());
        out.put("accepted_fraction", dg.acceptedFraction());
        out.put("divergences", dg.divergences());
        out.put("warmup_divergences", dg.warmupDivergences());
        out.put("mean_abs_energy_error", dg.meanAbsEnergyError());
        out.put("max_abs_energy_error", dg.maxAbsEnergyError());
        out.put("max_rhat", dg.maxRhat());
        out.put("min_ess", dg.minEss());
        if (gaussian != null) {
            McseCheck check = r.checkAgainst(gaussian.mean(), gaussian.variances());
            out.put("max_mean_error_in_mcse", check.maxMeanError());
            out.put("max_variance_error_in_mcse", check.maxVarianceError());
        }
        out.put("seconds", seconds);
        out.put("trajectories_per_second", (double) dg.chains() * (run.warmup + dg.draws()) / seconds);
        out.put("mean", dg.mean());
        out.put("sd", dg.sd());
        out.put("ess", dg.ess());
        out.put("rhat", dg.rhat());
        return out;
    }

    private void print(Map<String, Object> out) {
        output().result("done", out);
    }

    private void writeCsv(HmcResult r, int d) throws IOException {
        AtomicFiles.write(files.csv(), out -> {
            BufferedWriter w = new BufferedWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8));
            StringBuilder header = new StringBuilder("chain,draw");
            for (int j = 0; j < d; j++) {
                header.append(",x").append(j);
            }
            w.write(header.toString());
            w.newLine();
            for (int i = 0; i < r.drawCount(); i++) {
                float[] x = r.draw(i);
                for (int c = 0; c < r.chains(); c++) {
                    StringBuilder sb = new StringBuilder();
                    sb.append(c).append(',').append(i);
                    for (int j = 0; j < d; j++) {
                        sb.append(',').append(x[c * d + j]);
                    }
                    w.write(sb.toString());
                    w.newLine();
                }
            }
            w.flush();
        });
    }

    private void writePng(HmcResult r, int d, Backend backend) throws IOException {
        if (d < 2) {
            throw FlagChecks.error(spec, "--png needs a target of dimension >= 2, found " + d);
        }
        float[] pts = r.allDraws();
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int e = 0; e < pts.length; e++) {
            if (e % d < 2) {
                lo = Math.min(lo, pts[e]);
                hi = Math.max(hi, pts[e]);
            }
        }
        double pad = 0.1 * (hi - lo) + 1e-3;
        LandscapePlot plot = new LandscapePlot(lo - pad, hi + pad);
        if (target.equals("model") && d == 2) {
            try (TrainableEnergy m = EnergyModelFile.load(backend, model)) {
                plot.energy(m, pts);
            }
        }
        plot.points(pts, d, new Color(255, 140, 0, 90), 1.5)
                .caption(String.format(Locale.ROOT, "HMC draws (x0, x1): %d chains x %d draws, step %.3g, accept %.2f",
                        r.chains(), r.drawCount(), r.stepSize(), r.diagnostics().acceptanceRate()))
                .write(files.png());
    }
}
