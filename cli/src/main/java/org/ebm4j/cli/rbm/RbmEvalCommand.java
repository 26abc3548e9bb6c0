package org.ebm4j.cli.rbm;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.ebm4j.cli.CliCommand;
import org.ebm4j.cli.ModelFileOption;
import org.ebm4j.cli.SeedOption;
import org.ebm4j.cli.FlagChecks;
import org.ebm4j.data.Binarization;
import org.ebm4j.data.Dataset;
import org.ebm4j.data.Mnist;
import org.ebm4j.rbm.AisOptions;
import org.ebm4j.rbm.AisResult;
import org.ebm4j.rbm.ExactLogPartition;
import org.ebm4j.rbm.Rbm;
import org.ebm4j.rbm.RbmEvaluation;
import org.ebm4j.tensor.Backend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ebm rbm eval}: log Z (exact or AIS), average log-likelihood, reconstruction error, pseudo-likelihood. */
@Command(name = "eval", sortOptions = false,
        description = "Evaluate an RBM on data: log Z (exact or AIS), average log-likelihood, reconstruction error.")
public final class RbmEvalCommand extends CliCommand {
    @Mixin
    ModelFileOption model;

    @Mixin
    DataOptions data;

    @Option(names = "--split", paramLabel = "train|test",
            description = "Which MNIST split (default: test when --data has it, else train).")
    String split;

    @Option(names = "--logz", paramLabel = "auto|exact|ais", defaultValue = "auto",
            description = "How to get log Z: exact enumeration (smaller layer <= 25 units), AIS, or exact when "
                    + "feasible (default: ${DEFAULT-VALUE}).")
    String logz;

    @Option(names = "--ais-runs", paramLabel = "R", defaultValue = "100", description = "AIS runs (default: ${DEFAULT-VALUE}).")
    int aisRuns;

    @Option(names = "--ais-betas", paramLabel = "B", defaultValue = "14500",
            description = "AIS inverse temperatures (default: ${DEFAULT-VALUE}).")
    int aisBetas;

    @Mixin
    SeedOption seed;

    @Option(names = "--binarize", paramLabel = "none|fixed[:T]|stochastic[:SEED]",
            description = "How pixels become binary (default: as the model was trained).")
    String binarize;

    @Override
    public Integer call() throws IOException {
        data.validate(spec);
        FlagChecks.positive(spec, "--ais-runs", aisRuns);
        if (aisBetas < 3) {
            throw FlagChecks.error(spec, "--ais-betas must be >= 3 but was " + aisBetas);
        }
        // The schedule is one double per temperature, and the estimator keeps a copy.
        FlagChecks.fitsInMemory(spec, "--ais-betas", 16L * aisBetas, "the " + aisBetas + " AIS temperatures");
        String method = logz.trim().toLowerCase(Locale.ROOT);
        if (!method.equals("auto") && !method.equals("exact") && !method.equals("ais")) {
            throw FlagChecks.error(spec, "--logz must be auto, exact or ais but was '" + logz + "'");
        }
        Mnist.Split which = split != null ? FlagChecks.parse(spec, "--split", () -> Mnist.Split.parse(split))
                : (data.hasTestSplit() ? Mnist.Split.TEST : Mnist.Split.TRAIN);
        Dataset d = data.load(spec, which);
        long start = System.nanoTime();
        Map<String, Object> res = new LinkedHashMap<>();
        try (Backend backend = openBackend(); Rbm loaded = Rbm.load(model.path(), backend);
             Rbm rebinarized = binarize == null ? null : loaded.withBinarization(
                     FlagChecks.parse(spec, "--binarize", () -> Binarization.parse(binarize, seed.value())))) {
            Rbm m = rebinarized != null ? rebinarized : loaded;
            // Each run is a chain of visible and hidden states with its probabilities and weights.
            FlagChecks.fitsInMemory(spec, "--ais-runs", FlagChecks.floatBytes(aisRuns, m.visible() + (long) m.hidden(),
                    4), "the " + aisRuns + " AIS runs");
            if (d.cols() != m.visible()) {
                throw FlagChecks.error(spec, "the data has " + d.cols() + " columns (" + data.source() + ") but the model "
                        + model.path() + " has " + m.visible() + " visible units");
            }
            res.put("model", model.path().toString());
            res.put("rbm", m.visibleType().id() + " " + m.visible() + "x" + m.hidden());
            res.put("data", data.source());
            res.put("split", which.name().toLowerCase(Locale.ROOT));
            res.put("rows", d.rows());
            res.put("binarize", m.binarization().toString());
            res.put("backend", backend.name());
            boolean exact = method.equals("exact") || (method.equals("auto") && ExactLogPartition.feasible(m));
            if (method.equals("exact") && !ExactLogPartition.feasible(m)) {
                throw FlagChecks.error(spec, "--logz exact: the smaller layer of this " + m.visible() + "x" + m.hidden()
                        + " RBM has more than " + ExactLogPartition.MAX_UNITS + " units; use --logz ais");
            }
            double logZ;
            if (exact) {
                logZ = m.exactLogPartition();
                res.put("log_z_method", "exact");
                res.put("log_z", logZ);
            } else {
                AisOptions ais = new AisOptions(aisRuns, aisBetas, seed.value());
                boolean ownBaseRates = m.visibleMeans() != null;
                AisResult r = ownBaseRates ? m.estimateLogPartition(ais) : m.estimateLogPartition(ais, d);
                logZ = r.logZ();
                res.put("log_z_method", "ais");
                res.put("log_z", logZ);
                res.put("log_z_low", RbmTrainCommand.finiteOrNull(r.logZLow()));
                res.put("log_z_high", RbmTrainCommand.finiteOrNull(r.logZHigh()));
                res.put("ais_runs", aisRuns);
                res.put("ais_betas", aisBetas);
                res.put("ais_base_rates", ownBaseRates ? "model's training data" : "evaluated data");
            }
            RbmEvaluation ev = m.evaluate(d, logZ);
            res.put("avg_log_likelihood", ev.averageLogLikelihood());
            res.put("log_likelihood_of", ev.likelihoodKind());
            res.put("recon_error", ev.reconstructionError());
            ev.pseudoLikelihood().ifPresent(pl -> res.put("pseudo_likelihood", pl));
        }
        res.put("seconds", secondsSince(start));
        output().result(res, out -> {
            out.printf(Locale.ROOT, "%s RBM %s on %s (%s split, %d rows)%n", res.get("rbm"), model.path(), data.source(),
                    res.get("split"), res.get("rows"));
            if ("ais".equals(res.get("log_z_method"))) {
                out.printf(Locale.ROOT, "  log Z (AIS, %d runs, %d betas): %.4f   +-3 sd interval [%s, %s]%n", aisRuns,
                        aisBetas, (double) res.get("log_z"), fmt(res.get("log_z_low")), fmt(res.get("log_z_high")));
            } else {
                out.printf(Locale.ROOT, "  log Z (exact):            %.4f%n", (double) res.get("log_z"));
            }
            out.printf(Locale.ROOT, "  average log-likelihood:   %.4f nats (log %s%s)%n", (double) res.get("avg_log_likelihood"),
                    res.get("log_likelihood_of"), "density".equals(res.get("log_likelihood_of"))
                            ? " of the standardized values, not a probability" : "");
            out.printf(Locale.ROOT, "  reconstruction error:     %.4f%n", (double) res.get("recon_error"));
            if (res.containsKey("pseudo_likelihood")) {
                out.printf(Locale.ROOT, "  pseudo-likelihood:        %.5f nats per visible%n",
                        (double) res.get("pseudo_likelihood"));
            }
        });
        return 0;
    }

    private static String fmt(Object v) {
        return v == null ? "-inf" : String.format(Locale.ROOT, "%.4f", (double) v);
    }
}
