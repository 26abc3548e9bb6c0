package org.ebm4j.cli;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.ebm4j.data.CsvReader;
import org.ebm4j.data.Dataset;
import org.ebm4j.data.HoldOut;
import org.ebm4j.energy.DataMoments;
import org.ebm4j.energy.EnergyModel;
import org.ebm4j.energy.EnergyNetwork;
import org.ebm4j.energy.EnergyOptions;
import org.ebm4j.energy.EnergyTrainingListener;
import org.ebm4j.energy.NegativeSampling;
import org.ebm4j.energy.TrainableEnergy;
import org.ebm4j.energy.TrainingStep;
import org.ebm4j.energy.demo.ClusterGrid;
import org.ebm4j.energy.demo.FourSquares;
import org.ebm4j.energy.loss.ContrastiveLosses;
import org.ebm4j.hmc.HmcResult;
import org.ebm4j.io.StagedFiles;
import org.ebm4j.tensor.Backend;
import org.ebm4j.train.Checkpointing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ebm energy train}: learns an energy model with deterministic hidden units (or a product of
 * uni-gauss experts) on a demo data set or a CSV of real vectors, with negatives from HMC, then draws
 * HMC fantasies from it and reports how they match the data.
 */
@Command(name = "train", sortOptions = false, resourceBundle = "org.ebm4j.cli.EnergyTrainCommand",
        description = {"Train an energy model on a built-in set (--data four-squares or cluster-grid) or a CSV file, with HMC negatives.",
                "A demo presets the options it needs (four-squares: --layers 64:softplus,16:softplus --leapfrog-steps 30"
                        + " --trajectories 2 --lr 0.01 --weight-scale 2 --iterations 12000; cluster-grid: --experts 25"
                        + " --update sign --lr 0.01 --weight-decay 0 --iterations 3000); options given on the command line win."},
        footer = "Example: ebm energy train --data four-squares --out squares")
class EnergyTrainCommand extends CliCommand {
    /** The library's defaults, which the step and HMC flags start from. */
    private static final EnergyOptions DEFAULTS = EnergyOptions.builder().build();

    @Mixin
    DataOption data = new DataOption("four-squares", EnumSet.of(DataSource.Kind.BUILT_IN, DataSource.Kind.CSV_FILE),
            List.of("four-squares", "cluster-grid"));

    /** The built-in set --data names, or null for a CSV file. */
    private String demo;
    private Path csvFile;

    @Option(names = "--points", paramLabel = "N", description = "Demo data size (default: ${DEFAULT-VALUE}).")
    int points = 2000;

    @Option(names = "--missing-cluster", paramLabel = "ROW,COL",
            description = "The cluster-grid cell left out, rows and columns 0..4 (default: ${DEFAULT-VALUE}).")
    String missingCluster = "1,3";

    @Option(names = "--energy", paramLabel = "network|unigauss",
            description = "Energy model (default: unigauss for cluster-grid, else network).")
    String modelKind;


    @Option(names = "--layers", paramLabel = "VALUE", description = "Hidden layers, e.g. 64:softplus,16:fas (default: ${DEFAULT-VALUE}).")
    String layers = "64:softplus";

    @Option(names = "--visible-precision", paramLabel = "X", description = "Network: lambda of the fixed (lambda/2)|x|^2 term (default: ${DEFAULT-VALUE}).")
    double visiblePrecision = 0.05;

    @Option(names = "--weight-scale", paramLabel = "X", description = "Network: initial weights N(0, scale^2/fan-in) (default: ${DEFAULT-VALUE}).")
    double weightScale = 4;

    @Option(names = "--initial-scale", paramLabel = "X", description = "Network: initial per-unit energy scale (default: ${DEFAULT-VALUE}).")
    double initialScale = 0.1;

    @Option(names = "--experts", paramLabel = "N", description = "Uni-gauss: number of experts (default: ${DEFAULT-VALUE}).")
    int experts = 15;

    @Option(names = "--envelope", paramLabel = "X", description = "Uni-gauss: precision of the weak Gaussian envelope (default: ${DEFAULT-VALUE}).")
    double envelope = 0.02;

    /** Its --loss and --margin described in the bundle: this command's losses take ml too. */
    @Mixin
    LossFlags loss = new LossFlags("ml");

    @Option(names = "--negatives", paramLabel = "cd|persistent", description = "Where negatives come from (default: ${DEFAULT-VALUE}).")
    String negatives = "cd";

    @Option(names = "--negatives-per-example", paramLabel = "N", description = "Negatives per data point (default: ${DEFAULT-VALUE}).")
    int negativesPerExample = 1;

    @Option(names = "--leapfrog-steps", paramLabel = "N", description = "Leapfrog steps per negative trajectory (default: ${DEFAULT-VALUE}).")
    int leapfrogSteps = 20;

    @Option(names = "--trajectories", paramLabel = "N", description = "Trajectories per update (default: ${DEFAULT-VALUE}).")
    int trajectories = 1;

    @Mixin
    HmcFlags hmc = new HmcFlags(DEFAULTS.stepSize(), DEFAULTS.targetAccept());

    @Option(names = "--allow-missing",
            description = "Accept missing entries (empty, NA, NaN, ?) in the CSV and train on the observed ones: each update"
                    + " fills the minibatch's missing entries by HMC on the model's conditional (default: off, a missing"
                    + " entry is an error).")
    boolean allowMissing;

    @Option(names = "--fill-trajectories", paramLabel = "N",
            description = "With --allow-missing: conditional HMC trajectories on the missing entries per update (default: ${DEFAULT-VALUE}).")
    int fillTrajectories = 1;

    @Option(names = "--metropolis", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Metropolis-correct the negatives' trajectories (default: on).")
    boolean metropolis = true;

    @Mixin
    GradientStepFlags step = new GradientStepFlags(DEFAULTS.learningRate(), DEFAULTS.momentum(), DEFAULTS.weightDecay(),
            DEFAULTS.batchSize());

    @Option(names = "--update", paramLabel = "momentum|sign",
            description = "Parameter step: classical momentum, or the sign of the momentum-averaged gradient (default: ${DEFAULT-VALUE}).")
    String update = "momentum";

    @Option(names = "--clip", paramLabel = "X", description = "Rescale the gradient to at most this norm (default: no clipping).")
    double clip = Double.POSITIVE_INFINITY;

    @Option(names = "--iterations", paramLabel = "N", description = "Parameter updates (default: ${DEFAULT-VALUE}).")
    int iterations = 3000;

    @Option(names = "--fantasies", paramLabel = "N", description = "HMC chains drawn from the trained model (default: ${DEFAULT-VALUE}).")
    int fantasies = 1000;

    @Option(names = "--fantasy-warmup", paramLabel = "N", description = "Warm-up transitions of the fantasy chains (default: ${DEFAULT-VALUE}).")
    int fantasyWarmup = 300;

    @Option(names = "--fantasy-draws", paramLabel = "N", description = "Kept transitions per fantasy chain (default: ${DEFAULT-VALUE}).")
    int fantasyDraws = 50;

    @Option(names = "--progress-every", paramLabel = "N", description = "Report every N updates (default: iterations / 10).")
    int progressEvery;

    @Option(names = "--holdout", paramLabel = "N", description = "The last N rows held out: every epoch reports their "
            + "denoising score, which --patience watches (default: ${DEFAULT-VALUE}).")
    int holdout;

    @Mixin
    TrainingSafetyFlags safety;

    @Mixin
    SeedOption seed;

    /** Also landscape.png for 2-D data: the energy, the data and the fantasies. */
    @Mixin
    RunDirOption run = new RunDirOption("energy-run");

    @Option(names = "--save", hidden = true, paramLabel = "FILE", description = "Old: the model file; now DIR/model.ebm.")
    void oldSave(Path file) {
        OldSpelling.warn(spec, "--save FILE", "--out DIR (which gets model.ebm)");
        save = file;
    }

    @Option(names = "--png", hidden = true, paramLabel = "FILE", description = "Old: the landscape; now DIR/landscape.png.")
    void oldPng(Path file) {
        OldSpelling.warn(spec, "--png FILE", "--out DIR (which gets landscape.png)");
        png = file;
    }

    private Path save;
    private Path png;

    private int missingRow;
    private int missingColumn;

    @Override
    public Integer call() throws IOException {
        validate();
        return onBackend(this::run);
    }

    /**
     * Settings that suit each demo, used for every option the user did not give (found by trying: see
     * the README). The four squares need two hidden layers and well-mixed negatives (two 30-step
     * trajectories per update) for walls sharp enough to keep 90% of the samples inside; the grid needs
     * 25 uni-gauss experts and the sign update to form the row and column stripes.
     */
    private void applyPresets() {
        Map<String, String> preset = new LinkedHashMap<>();
        if ("four-squares".equals(demo)) {
            preset.put("--layers", "64:softplus,16:softplus");
            preset.put("--negatives", "cd");
            preset.put("--leapfrog-steps", "30");
            preset.put("--trajectories", "2");
            preset.put("--lr", "0.01");
            preset.put("--weight-scale", "2");
            preset.put("--iterations", "12000");
        } else if ("cluster-grid".equals(demo)) {
            preset.put("--experts", "25");
            preset.put("--negatives", "cd");
            preset.put("--update", "sign");
            preset.put("--lr", "0.01");
            preset.put("--weight-decay", "0");
            preset.put("--iterations", "3000");
        }
        for (Map.Entry<String, String> e : preset.entrySet()) {
            if (spec.commandLine().getParseResult().hasMatchedOption(e.getKey())) {
                continue;
            }
            String v = e.getValue();
            switch (e.getKey()) {
                case "--layers" -> layers = v;
                case "--negatives" -> negatives = v;
                case "--lr" -> step.lr = Double.parseDouble(v);
                case "--weight-scale" -> weightScale = Double.parseDouble(v);
                case "--weight-decay" -> step.weightDecay = Double.parseDouble(v);
                case "--update" -> update = v;
                case "--momentum" -> step.momentum = Double.parseDouble(v);
                case "--clip" -> clip = Double.parseDouble(v);
                case "--batch" -> step.batch = Integer.parseInt(v);
                case "--leapfrog-steps" -> leapfrogSteps = Integer.parseInt(v);
                case "--trajectories" -> trajectories = Integer.parseInt(v);
                case "--experts" -> experts = Integer.parseInt(v);
                case "--iterations" -> iterations = Integer.parseInt(v);
                default -> throw new IllegalStateException("no preset handling for " + e.getKey());
            }
        }
    }

    private void validate() {
        run.check(spec);
        FlagChecks.outputFile(spec, "--save", save);
        FlagChecks.outputFile(spec, "--png", png);
        DataSource source = data.source();
        demo = source.kind() == DataSource.Kind.BUILT_IN ? source.value() : null;
        csvFile = source.path();
        applyPresets();
        if (points < 8) {
            throw FlagChecks.error(spec, "--points must be >= 8 but was " + points);
        }
        String[] rc = missingCluster.split(",");
        try {
            if (rc.length != 2) {
                throw new NumberFormatException();
            }
            missingRow = Integer.parseInt(rc[0].trim());
            missingColumn = Integer.parseInt(rc[1].trim());
        } catch (NumberFormatException e) {
            throw FlagChecks.error(spec, "--missing-cluster must be ROW,COL (e.g. 1,3) but was '" + missingCluster + "'");
        }
        if (missingRow < 0 || missingRow > 4 || missingColumn < 0 || missingColumn > 4) {
            throw FlagChecks.error(spec, "--missing-cluster row and column must lie in 0..4 but were " + missingRow + "," + missingColumn);
        }
        if (modelKind == null) {
            modelKind = "cluster-grid".equals(demo) ? "unigauss" : "network";
        }
        if (!modelKind.equals("network") && !modelKind.equals("unigauss")) {
            throw FlagChecks.error(spec, "--energy must be network or unigauss but was '" + modelKind + "'");
        }
        try {
            EnergyNetwork.parseLayers(layers);
        } catch (IllegalArgumentException e) {
            throw FlagChecks.error(spec, "--layers: " + e.getMessage());
        }
        if (!update.equals("momentum") && !update.equals("sign")) {
            throw FlagChecks.error(spec, "--update must be momentum or sign but was '" + update + "'");
        }
        LossFlags.Loss l = loss.value();
        if (!ContrastiveLosses.NAMES.contains(l.name())) {
            throw FlagChecks.error(spec, "--loss must be one of " + ContrastiveLosses.NAMES + " but was '" + l.name() + "'");
        }
        if (!negatives.equals("cd") && !negatives.equals("persistent")) {
            throw FlagChecks.error(spec, "--negatives must be cd or persistent but was '" + negatives + "'");
        }
        if (allowMissing && demo != null) {
            throw FlagChecks.error(spec, "--allow-missing needs --data FILE (a CSV with missing entries) but --data names"
                    + " the built-in set " + demo);
        }
        FlagChecks.atLeast(spec, "--progress-every", progressEvery, 0);
        // Every other range is the one the records declare (EnergyOptions for training, HmcOptions for the
        // fantasies), refused as the usage error of the flag that gave the value.
        options();
        FlagChecks.options(spec, () -> EnergyModel.fantasyOptions(fantasies, fantasyWarmup, fantasyDraws, seed.value()));
    }

    /** The training options the flags say (after the demo presets). */
    EnergyOptions options() {
        LossFlags.Loss l = loss.value();
        return step.applyTo(safety.applyTo(EnergyOptions.builder())).holdout(holdout).model(EnergyOptions.Model.byName(modelKind)).layers(layers)
                .visiblePrecision(visiblePrecision).weightScale(weightScale).initialScale(initialScale).experts(experts)
                .envelope(envelope).loss(l.name()).margin(l.margin()).lossScale(l.scale())
                .negatives(NegativeSampling.byName(negatives)).negativesPerExample(negativesPerExample)
                .leapfrogSteps(leapfrogSteps).trajectories(trajectories).stepSize(hmc.stepSize).adaptStepSize(hmc.adapt)
                .targetAccept(hmc.targetAccept).metropolis(metropolis).fillTrajectories(fillTrajectories)
                .update(EnergyOptions.Update.byName(update)).maxGradientNorm(clip).updates(iterations).seed(seed.value())
                .build();
    }

    private Dataset dataset() throws IOException {
        if (demo == null) {
            if (allowMissing) {
                return new CsvReader().withMissingValues().read(csvFile);
            }
            try {
                return new CsvReader().read(csvFile);
            } catch (IOException e) {
                try {
                    new CsvReader().withMissingValues().read(csvFile);
                } catch (IOException notOnlyMissing) {
                    throw e;
                }
                throw FlagChecks.error(spec, e.getMessage() + "; to train on the observed entries give --allow-missing");
            }
        }
        return demo.equals("four-squares") ? FourSquares.dataset(points, seed.value())
                : ClusterGrid.dataset(points, missingRow, missingColumn, seed.value());
    }

    private int run(Backend backend) throws IOException {
        Dataset dataset = dataset();
        EnergyOptions options = options();
        FlagChecks.parse(spec, "--holdout", () -> HoldOut.split(dataset, null, options.holdout()));
        float[] xs = dataset.values();
        int n = dataset.rows();
        int d = dataset.cols();
        // The fantasies come after training: their size is refused now (after the training's own), not
        // once the training is spent.
        options.requireMemory(d);
        EnergyModel.requireFantasyMemory(d, options.model() == EnergyOptions.Model.NETWORK ? options.layers()
                : List.of(), EnergyModel.fantasyOptions(fantasies, fantasyWarmup, fantasyDraws, seed.value()));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("backend", backend.name());
        result.put("data", demo != null ? demo : csvFile.toString());
        result.put("points", n);
        result.put("dim", d);
        result.put("energy", modelKind);
        int missing = 0;
        for (float v : xs) {
            missing += Float.isNaN(v) ? 1 : 0;
        }
        result.put("missing_entries", missing);
        long start = System.nanoTime();
        Progress progress = new Progress(progressEvery > 0 ? progressEvery : Math.max(1, iterations / 10));
        EnergyModel fitted;
        try (TerminalProgress bar = new TerminalProgress(common.showsProgress(), "training", "updates")) {
            progress.bar = bar;
            // Epoch rows only where there is a held-out score to show; rollbacks and an early stop either way.
            EpochEvents epochs = options.holdout() > 0 ? EpochEvents.reporting(output(), EnergyModel.HELDOUT_METRIC)
                    : EpochEvents.safetyEvents(output());
            fitted = EnergyModel.fit(backend, dataset, options, Checkpointing.none(), progress, epochs);
        }
        try (EnergyModel model = fitted) {
            double trainSeconds = secondsSince(start);
            result.put("iterations", iterations);
            result.put("final_loss", progress.last.loss());
            result.put("train_seconds", trainSeconds);
            long fantasyStart = System.nanoTime();
            HmcResult fantasy = model.fantasies(fantasies, fantasyWarmup, fantasyDraws, seed.value());
            result.put("fantasy_chains", fantasies);
            result.put("fantasy_draws", fantasy.drawCount());
            result.put("fantasy_step_size", fantasy.stepSize());
            result.put("fantasy_acceptance", fantasy.diagnostics().acceptanceRate());
            result.put("fantasy_divergences", fantasy.diagnostics().divergences());
            float[] all = fantasy.allDraws();
            measure(result, model, all, xs, d);
            // The run's files are staged and replaced together: a failure on the landscape or the
            // curve leaves the previous run's model and pictures. The old --save and --png name
            // files outside the set, written as they come.
            try (StagedFiles staged = StagedFiles.in(run.dir())) {
                Path modelFile = save != null ? save : run.model();
                model.save(save != null ? save : staged.stage(modelFile));
                result.put("model_file", modelFile.toString());
                if (png != null || d == 2) {
                    Path landscape = png != null ? png : run.file("landscape.png");
                    plot(model.energyFunction(), xs, all, d, result, png != null ? png : staged.stage(landscape));
                    result.put("landscape_png", landscape.toString());
                }
                progress.curve.write(staged.stage(run.learningCurve()), "energy model (" + modelKind + ") on "
                        + result.get("data"));
                staged.commit();
            }
            result.put("learning_curve_png", run.learningCurve().toString());
            result.put("fantasy_seconds", secondsSince(fantasyStart));
        }
        result.put("seconds", secondsSince(start));
        output().result("done", result);
        return 0;
    }

    /** Prints every {@code every}-th update and the last one, and keeps the last for the summary. */
    private final class Progress implements EnergyTrainingListener {
        private final JsonOrText output = output();
        private final int every;
        final LearningCurve curve = new LearningCurve("update");
        TerminalProgress bar;
        TrainingStep last;

        Progress(int every) {
            this.every = every;
        }

        @Override
        public void onStep(TrainingStep s) {
            last = s;
            long update = s.iteration() + 1;
            bar.onProgress(update, iterations);
            if (update % every != 0 && update != iterations) {
                return;
            }
            curve.add(update, Map.of("loss", s.loss(), "data_energy", s.dataEnergy(),
                    "negative_energy", s.negativeEnergy()));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("iteration", update);
            m.put("loss", s.loss());
            m.put("data_energy", s.dataEnergy());
            m.put("negative_energy", s.negativeEnergy());
            m.put("acceptance", s.acceptance());
            m.put("step_size", s.stepSize());
            output.progressRow("update", m);
        }
    }

    private void measure(Map<String, Object> result, EnergyModel model, float[] draws, float[] xs, int d) {
        if ("four-squares".equals(demo)) {
            FourSquares.Report r = FourSquares.evaluate(model.energyFunction(), xs, draws, seed.value());
            result.put("fantasy_fraction_inside_squares", r.fantasyFractionInside());
            result.put("fantasy_share_by_square", r.fantasyShareBySquare());
            result.put("data_fraction_inside_squares", r.dataFractionInside());
            result.put("completed_fraction_inside_squares", r.completedFractionInside());
        } else if ("cluster-grid".equals(demo)) {
            ClusterGrid.Report r = ClusterGrid.evaluate(draws, missingRow, missingColumn);
            result.put("cluster_radius", r.radius());
            result.put("fantasy_counts_per_cell", r.countsPerCell());
            result.put("missing_cell_share", r.missingCellShare());
            result.put("mean_present_cell_share", r.meanPresentCellShare());
            result.put("fraction_near_any_cluster", r.fractionNearAnyCluster());
        } else {
            result.put("data_mean", DataMoments.of(xs, xs.length / d, d).mean());
            result.put("fantasy_mean", DataMoments.of(draws, draws.length / d, d).mean());
        }
    }

    private void plot(TrainableEnergy model, float[] xs, float[] draws, int d, Map<String, Object> result, Path png)
            throws IOException {
        if (d != 2) {
            throw FlagChecks.error(spec, "--png needs 2-D data, found dimension " + d);
        }
        double lim = "cluster-grid".equals(demo) ? 3 : 3;
        if (demo == null) {
            lim = 0;
            for (float v : xs) {
                if (!Float.isNaN(v)) { // a missing entry has no place on the plot
                    lim = Math.max(lim, Math.abs(v));
                }
            }
            lim *= 1.3;
        }
        LandscapePlot p = new LandscapePlot(-lim, lim).energy(model, xs);
        p.points(draws, 2, new Color(255, 140, 0, 110), 1.5);
        p.points(xs, 2, new Color(255, 255, 255, 160), 1.0);
        String caption;
        if ("four-squares".equals(demo)) {
            for (int sx = -1; sx <= 1; sx += 2) {
                for (int sy = -1; sy <= 1; sy += 2) {
                    double cx = sx * FourSquares.CENTER;
                    double cy = sy * FourSquares.CENTER;
                    p.box(cx - FourSquares.HALF_SIDE, cy - FourSquares.HALF_SIDE, cx + FourSquares.HALF_SIDE,
                            cy + FourSquares.HALF_SIDE, Color.WHITE);
                }
            }
            caption = String.format(Locale.ROOT, "four squares: %.1f%% of HMC fantasies inside (white: data, orange: fantasies)",
                    100 * (double) result.get("fantasy_fraction_inside_squares"));
        } else if ("cluster-grid".equals(demo)) {
            p.circle(ClusterGrid.line(missingColumn), ClusterGrid.line(missingRow), ClusterGrid.RADIUS, Color.RED);
            caption = String.format(Locale.ROOT, "uni-gauss PoE: missing cell (red) holds %.1f%% of fantasies, a present cell %.1f%%",
                    100 * (double) result.get("missing_cell_share"), 100 * (double) result.get("mean_present_cell_share"));
        } else {
            caption = "energy landscape, data (white) and HMC fantasies (orange)";
        }
        p.caption(caption).write(png);
    }
}
