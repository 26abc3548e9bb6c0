package org.ebm4j.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ebm4j.boltzmann.UnitValues;
import org.ebm4j.data.Dataset;
import org.ebm4j.hopfield.CueCorruption;
import org.ebm4j.hopfield.HopfieldNetwork;
import org.ebm4j.hopfield.HopfieldOptions;
import org.ebm4j.hopfield.LearningRule;
import org.ebm4j.hopfield.PatternOverlaps;
import org.ebm4j.hopfield.RecallResult;
import org.ebm4j.hopfield.RecallStatus;
import org.ebm4j.hopfield.RecalledStates;
import org.ebm4j.tensor.Backend;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ebm hopfield recall}: recall a batch of cues ({@link HopfieldNetwork#recall}), in a network
 * file ({@link HopfieldNetwork#load}) or in patterns stored on the spot ({@link HopfieldNetwork#fit}; the
 * cues can then be made from the patterns by flipping or masking, {@link CueCorruption}).
 */
@Command(name = "recall", resourceBundle = "org.ebm4j.cli.HopfieldRecallCommand",
        description = {"Recall cues in a Hopfield network (--model FILE, or --patterns FILE stored on the spot): given "
                + "cues (--cues), or the stored patterns corrupted by --flip or --mask; asynchronous, synchronous or "
                + "annealed; clamping any units."},
        footer = "Example: ebm hopfield recall --model net.ebm --flip 0.2")
final class HopfieldRecallCommand extends CliCommand {
    static final class Source {
        @Option(names = "--model", paramLabel = "FILE", description = "Network file written by 'ebm hopfield store' "
                + "(or the CSV network file of earlier versions).")
        Path net;

        @Option(names = "--net", paramLabel = "FILE", hidden = true, description = "Old spelling of --model.")
        void oldNet(Path file) {
            oldNetUsed = true;
            net = file;
        }

        private boolean oldNetUsed;

        @Option(names = "--patterns", paramLabel = "FILE", description = "Store these patterns (CSV) first.")
        Path patterns;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Mixin
    LearningRuleOption rule = new LearningRuleOption("storkey");

    @Option(names = "--cues", paramLabel = "FILE", description = "CSV of cues (0/1 or -1/+1 rows); "
            + "without it the cues are the patterns corrupted by --flip or --mask.")
    Path cues;

    @Mixin
    CueFlipOption flip = new CueFlipOption(0.1);

    @Option(names = "--mask", paramLabel = "REGION",
            description = "Instead of flipping, set a region of each pattern to -1: first-half, second-half, or with "
                    + "--image-width top, bottom, left, right.")
    String mask;

    @Option(names = "--clamp", paramLabel = "UNITS|known",
            description = "Hold these units at their cue values: 'known' (the units --mask left visible) or unit "
                    + "numbers and ranges such as 0-391,400.")
    String clamp;

    @Mixin
    RecallDynamics recall;

    @Option(names = "--image-width", paramLabel = "N", description = "Units form images N pixels wide (for --mask regions and --png).")
    Integer imageWidth;

    @Mixin
    CsvPngFlags files;

    @Mixin
    PngScaleOption scale = new PngScaleOption(4);

    @Mixin
    SeedOption seed;

    @Override
    public Integer call() throws Exception {
        if (source.oldNetUsed) {
            OldSpelling.warn(spec, "--net", "--model");
        }
        files.check(spec);
        Path out = files.csv();
        Path png = files.png();
        String dyn = recall.validate(checks);
        LearningRule r = rule.parse(checks);
        double flipped = flip.value(checks);
        int magnification = scale.value(checks);
        if (cues != null && mask != null) {
            throw checks.fail("--mask makes cues from the patterns; it cannot be combined with --cues");
        }
        if (png != null && imageWidth == null) {
            throw checks.fail("--png needs --image-width to lay the units out as images");
        }
        Dataset patternData = source.patterns == null ? null : BinaryRows.read(source.patterns, UnitValues.SPIN);
        JsonOrText printer = output();
        long t0 = System.nanoTime();
        int n;
        float[] cueValues;
        RecalledStates recalled;
        String backendUsed;
        try (Backend backend = openBackend();
             HopfieldNetwork net = source.net != null ? HopfieldNetwork.load(source.net, backend)
                     : HopfieldNetwork.fit(backend, patternData, HopfieldOptions.builder().rule(r).build())) {
            backendUsed = backend.name();
            n = net.units();
            if (source.net != null && cues == null) {
                // A network file keeps the patterns it stores, so their corrupted copies are the cues.
                patternData = net.patterns().orElseThrow(() -> checks.fail("--model " + source.net + " keeps no "
                        + "patterns (written by an earlier version, or imported): give --cues, or store it again"));
            }
            if (imageWidth != null) {
                checks.divisorOf("--image-width", imageWidth, n, "units");
            }
            int width = imageWidth == null ? 0 : imageWidth;
            boolean[] hidden = null;
            Dataset cueData;
            if (cues != null) {
                cueData = BinaryRows.read(cues, UnitValues.SPIN);
                if (cueData.cols() != n) {
                    throw checks.fail("--cues rows have " + cueData.cols() + " values but the network has " + n + " units");
                }
            } else if (mask != null) {
                hidden = checks.parse("--mask", () -> CueCorruption.region(mask, n, width));
                cueData = CueCorruption.mask(patternData, hidden);
            } else {
                cueData = CueCorruption.flip(patternData, flipped, seed.value());
            }
            cueValues = cueData.values();
            boolean[] clamped = null;
            if (clamp != null) {
                if (clamp.trim().equalsIgnoreCase("known")) {
                    if (hidden == null) {
                        throw checks.fail("--clamp known needs --mask (it clamps the units the mask leaves visible)");
                    }
                    clamped = UnitRanges.complement(hidden);
                } else {
                    clamped = checks.parse("--clamp", () -> UnitRanges.parse(clamp, n));
                }
            }
            recalled = net.recall(cueData, recall.options(seed.value()), clamped);
        }
        int rows = recalled.count();
        RecallResult result = recalled.result();
        float[] energies = recalled.energies();
        double seconds = secondsSince(t0);
        float[] reference = patternData == null ? null : patternData.values();
        float[] states = recalled.states();
        // The pattern each cue was made from, or for given cues the pattern nearest to it.
        int[] own = new int[reference == null ? 0 : rows];
        for (int c = 0; c < own.length; c++) {
            own[c] = cues == null ? c : PatternOverlaps.nearest(cueValues, c, reference, n);
        }
        int exact = 0;
        double sumOverlap = 0;
        for (int c = 0; c < rows; c++) {
            Map<String, Object> ev = new LinkedHashMap<>();
            ev.put("index", c);
            ev.put("status", result.status()[c].name().toLowerCase(java.util.Locale.ROOT));
            ev.put("settled_at", result.settledAt()[c]);
            ev.put("energy", (double) energies[c]);
            if (reference != null) {
                double m = PatternOverlaps.overlap(states, c, reference, own[c], n);
                ev.put("pattern", own[c]);
                ev.put("overlap", m);
                ev.put("nearest_pattern", PatternOverlaps.nearest(states, c, reference, n));
                sumOverlap += m;
                exact += m == 1.0 ? 1 : 0;
            }
            printer.row("cue", ev);
        }
        Map<String, Object> sum = new LinkedHashMap<>();
        sum.put("backend", backendUsed);
        sum.put("units", n);
        sum.put("cues", rows);
        sum.put("dynamics", dyn);
        sum.put("iterations", result.iterations());
        sum.put("fixed_points", result.count(RecallStatus.FIXED_POINT));
        sum.put("two_cycles", result.count(RecallStatus.TWO_CYCLE));
        sum.put("unsettled", result.count(RecallStatus.UNSETTLED));
        if (reference != null) {
            sum.put("exact_fraction", (double) exact / rows);
            sum.put("mean_overlap", sumOverlap / rows);
        }
        sum.put("seconds", seconds);
        if (out != null) {
            BinaryRows.write(out, states, n);
            sum.put("out", out.toString());
        }
        if (png != null) {
            float[] originals = new float[own.length * n];
            for (int c = 0; c < own.length; c++) {
                System.arraycopy(reference, own[c] * n, originals, c * n, n);
            }
            float[][] pictureRows = reference == null ? new float[][] {cueValues, states}
                    : new float[][] {cueValues, states, originals};
            BinaryImageGrid.writeSpinRows(png, n / imageWidth, imageWidth, magnification, pictureRows);
            sum.put("png", png.toString());
        }
        printer.result("summary", sum);
        return 0;
    }

}
