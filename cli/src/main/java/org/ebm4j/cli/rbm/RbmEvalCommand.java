package org.ebm4j.cli.rbm;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.ebm4j.cli.BinarizeOption;
import org.ebm4j.cli.LogWeightsHistogram;
import org.ebm4j.cli.ModelFileCommand;
import org.ebm4j.cli.SeedOption;
import org.ebm4j.cli.TerminalProgress;
import org.ebm4j.cli.AisFlags;
import org.ebm4j.cli.FlagChecks;
import org.ebm4j.data.Binarization;
import org.ebm4j.data.Dataset;
import org.ebm4j.data.HoldOut;
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
@Command(name = "eval", sortOptions = false, resourceBundle = "org.ebm4j.cli.rbm.RbmEvalCommand",
        description = {"Evaluate an RBM on data: log Z (exact or AIS), average log-likelihood, reconstruction error.",
            "--data: an MNIST directory, an IDX image file, a CSV file or mnist-10k (the default)."},
        footer = "Example: ebm rbm eval --model rbm-run/model.ebm --logz ais")
public final class RbmEvalCommand extends ModelFileCommand {
    @Mixin
    EvalData data;

    @Option(names = "--logz", paramLabel = "auto|exact|ais", defaultValue = "auto",
            description = "How to get log Z: exact enumeration (smaller layer <= 25 units), AIS, or exact when "
                    + "feasible (default: ${DEFAULT-VALUE}).")
    String logz;

    @Mixin
    AisFlags ais;

    @Option(names = "--ais-weights-png", paramLabel = "FILE",
            description = "With AIS: write a histogram of the runs' log importance weights to FILE.")
    Path aisWeightsPng;

    @Mixin
    SeedOption seed;

    /** No default: the model's own, as the bundle's {@code binarize} says. */
    @Mixin
    BinarizeOption binarize;

    @Option(names = "--rows", paramLabel = "heldout|all",
            description = "Which rows of a training split to evaluate: the rows 'rbm train' held out (the default when "
                    + "--data is the model's training data and it held rows out) or all of them.")
    String rows;

    @Override
    public Integer call() throws IOException {
        data.validate(spec);
        ais.check(spec);
        String method = AisFlags.logZMethod(spec, logz);
        if (rows != null && !rows.equals("heldout") && !rows.equals("all")) {
            throw FlagChecks.error(spec, "--rows must be heldout or all but was '" + rows + "'");
        }
        Binarization binarization = binarize.value(seed.value());
        Mnist.Split which = data.split(spec);
        Dataset all = data.load(spec, which);
        long start = System.nanoTime();
        Map<String, Object> res = new LinkedHashMap<>();
        try (Backend backend = openBackend(); Rbm loaded = Rbm.load(model.path(), backend);
             Rbm rebinarized = binarization == null ? null : loaded.withBinarization(binarization)) {
            Rbm m = rebinarized != null ? rebinarized : loaded;
            ais.options(seed.value()).requireMemory(m.visible(), m.hidden());
            Dataset d = which == Mnist.Split.TEST ? all : evaluatedRows(all, Rbm.readOptions(model.path()).holdout(),
                    m.provenance());
            if (d.cols() != m.visible()) {
                throw FlagChecks.error(spec, "the data has " + d.cols() + " columns (" + data.source().source()
                        + ") but the model " + model.path() + " has " + m.visible() + " visible units");
            }
            res.put("model", model.path().toString());
            res.put("rbm", m.visibleType().id() + " " + m.visible() + "x" + m.hidden());
            res.put("data", data.source().source());
            res.put("split", which.name().toLowerCase(Locale.ROOT));
            res.put("rows", d.rows());
            res.put("rows_used", rowsUsed);
            res.put("binarize", m.binarization().toString());
            res.put("backend", backend.name());
            boolean exact = method.equals("exact") || (method.equals("auto") && ExactLogPartition.feasible(m));
            if (method.equals("exact") && !ExactLogPartition.feasible(m)) {
                throw FlagChecks.error(spec, "--logz exact: the smaller layer of this " + m.visible() + "x" + m.hidden()
                        + " RBM has more than " + ExactLogPartition.MAX_UNITS + " units; use --logz ais");
            }
            if (exact && aisWeightsPng != null) {
                throw FlagChecks.error(spec, "--ais-weights-png needs --logz ais, but log Z of this " + m.visible() + "x"
                        + m.hidden() + " RBM is computed exactly");
            }
            double logZ;
            long logZStart = System.nanoTime();
            if (exact) {
                try (TerminalProgress p = new TerminalProgress(common.showsProgress(), "exact log Z", "states")) {
                    logZ = m.exactLogPartition(p);
                }
                res.put("log_z_method", "exact");
                res.put("log_z", logZ);
            } else {
                AisOptions aisOptions = ais.options(seed.value());
                boolean ownBaseRates = m.visibleMeans() != null;
                AisResult r;
                try (TerminalProgress p = new TerminalProgress(common.showsProgress(), "AIS", "betas")) {
                    r = ownBaseRates ? m.estimateLogPartition(aisOptions, p) : m.estimateLogPartition(aisOptions, d, p);
                }
                logZ = r.logZ();
                ais.report(r, res);
                res.put("ais_base_rates", ownBaseRates ? "model's training data" : "evaluated data");
                if (aisWeightsPng != null) {
                    LogWeightsHistogram.write(r.logWeights(), aisWeightsPng, "AIS on RBM " + m.visible() + "x" + m.hidden()
                            + ": " + ais.runs() + " runs, " + ais.betas() + " temperatures");
                    res.put("ais_weights_png", aisWeightsPng.toString());
                }
            }
            res.put("log_z_seconds", secondsSince(logZStart));
            long evalStart = System.nanoTime();
            RbmEvaluation ev = m.evaluate(d, logZ);
            res.put("avg_log_likelihood", ev.averageLogLikelihood());
            res.put("log_likelihood_of", ev.likelihoodKind());
            res.put("recon_error", ev.reconstructionError());
            ev.pseudoLikelihood().ifPresent(pl -> res.put("pseudo_likelihood", pl));
            res.put("evaluate_seconds", secondsSince(evalStart));
        }
        res.put("seconds", secondsSince(start));
        output().result("evaluation", res);
        return 0;
    }

    private String rowsUsed = "all";

    /**
     * The rows of a training split to evaluate: by default, when {@code all} is the data the model was
     * trained on (same name and row count in its provenance) and it held {@code holdout} rows out, those
     * rows ({@link HoldOut#split}, the library's own rule); all rows with {@code --rows all}.
     */
    private Dataset evaluatedRows(Dataset all, int holdout, org.ebm4j.io.Provenance provenance) {
        boolean sameData = all.name().equals(provenance.get("data.source"))
                && Integer.toString(all.rows()).equals(provenance.get("data.rows"));
        String wanted = rows != null ? rows : (sameData && holdout > 0 ? "heldout" : "all");
        if (wanted.equals("all")) {
            rowsUsed = "all " + all.rows() + " rows";
            return all;
        }
        if (!sameData || holdout == 0) {
            throw FlagChecks.error(spec, "--rows heldout: " + (holdout == 0 ? "the model held no rows out"
                    : "--data is not the data the model was trained on (" + provenance.get("data.source") + ", "
                    + provenance.get("data.rows") + " rows)"));
        }
        Dataset held = HoldOut.split(all, null, holdout).heldOut();
        rowsUsed = "rows " + (all.rows() - held.rows()) + "-" + (all.rows() - 1) + " of " + all.rows()
                + " (held out by rbm train)";
        return held;
    }
}
