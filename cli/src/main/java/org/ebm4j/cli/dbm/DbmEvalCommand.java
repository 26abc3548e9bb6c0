package org.ebm4j.cli.dbm;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.ebm4j.cli.CliCommand;
import org.ebm4j.cli.AisFlags;
import org.ebm4j.cli.FlagChecks;
import org.ebm4j.cli.ModelFileOption;
import org.ebm4j.cli.SeedOption;
import org.ebm4j.cli.rbm.EvalData;
import org.ebm4j.data.Dataset;
import org.ebm4j.data.Mnist;
import org.ebm4j.dbm.Dbm;
import org.ebm4j.dbm.DbmExact;
import org.ebm4j.dbm.MeanField;
import org.ebm4j.rbm.AisResult;
import org.ebm4j.tensor.Backend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ebm dbm eval}: {@code log Z} (exact by enumeration when feasible, else AIS), the mean-field
 * lower bound on the average log-likelihood and, for tiny models, the exact average log-likelihood.
 */
@Command(name = "eval", sortOptions = false,
        description = "Evaluate a DBM on data: log Z (exact or AIS with the odd layers summed out) and the "
                + "variational lower bound on the average log-likelihood (exact log-likelihood for tiny models).",
        footer = "Example: ebm dbm eval --model dbm-run/model.ebm --logz ais --ais-runs 100")
public final class DbmEvalCommand extends CliCommand {
    @Mixin
    ModelFileOption model;

    @Mixin
    EvalData data;

    @Option(names = "--logz", paramLabel = "auto|exact|ais", defaultValue = "auto",
            description = "How to get log Z: exact enumeration of the even layers (at most "
                    + DbmExact.MAX_EVEN_UNITS + " units), AIS, or exact when feasible (default: ${DEFAULT-VALUE}).")
    String logz;

    @Mixin
    AisFlags ais;

    /** The mean field of the bound. */
    @Mixin
    MeanFieldFlags meanField;

    @Mixin
    SeedOption seed;

    @Override
    public Integer call() throws IOException {
        data.validate(spec);
        String method = AisFlags.logZMethod(spec, logz);
        ais.check(spec);
        MeanField mf = meanField.meanField(spec);
        Mnist.Split which = data.split(spec);
        Dataset d = data.load(spec, which);
        long start = System.nanoTime();
        Map<String, Object> res = new LinkedHashMap<>();
        try (Backend backend = openBackend(); Dbm m = Dbm.load(model.path(), backend)) {
            if (d.cols() != m.sizes()[0]) {
                throw FlagChecks.error(spec, "the data has " + d.cols() + " columns (" + data.source() + ") but the model "
                        + model.path() + " has " + m.sizes()[0] + " visible units");
            }
            boolean feasible = DbmExact.feasible(m.parameters());
            if (method.equals("exact") && !feasible) {
                throw FlagChecks.error(spec, "--logz exact: the even layers of this DBM have more than "
                        + DbmExact.MAX_EVEN_UNITS + " units; use --logz ais");
            }
            res.put("model", model.path().toString());
            res.put("data", data.source().source());
            res.put("split", which.name().toLowerCase(Locale.ROOT));
            res.put("rows", d.rows());
            res.put("backend", backend.name());
            boolean exact = method.equals("exact") || (method.equals("auto") && feasible);
            double logZ;
            if (exact) {
                logZ = m.exactLogPartition();
                res.put("log_z_method", "exact");
                res.put("log_z", logZ);
                res.put("avg_log_likelihood", m.exactLogLikelihood(d));
            } else {
                AisResult r = m.estimateLogPartition(ais.options(seed.value()));
                logZ = r.logZ();
                ais.report(r, res);
            }
            res.put("avg_log_likelihood_bound", m.variationalBound(d, logZ, mf));
        }
        res.put("seconds", secondsSince(start));
        output().result("evaluation", res);
        return 0;
    }
}
