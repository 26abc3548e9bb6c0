package org.ebm4j.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ebm4j.data.Dataset;
import org.ebm4j.data.Mnist;
import org.ebm4j.hopfield.CueCorruption;
import org.ebm4j.hopfield.HopfieldNetwork;
import org.ebm4j.hopfield.HopfieldOptions;
import org.ebm4j.hopfield.LearningRule;
import org.ebm4j.hopfield.PatternOverlaps;
import org.ebm4j.hopfield.RecallResult;
import org.ebm4j.hopfield.RecalledStates;
import org.ebm4j.tensor.Backend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ebm hopfield mnist}: stores a handful of binarized MNIST digits as -1/+1 patterns,
 * corrupts them (flipped pixels or a masked half), recalls, and draws cue / recalled / original rows.
 */
@Command(name = "mnist",
        description = "Demo: store binarized MNIST digits, corrupt or half-mask them, recall, and write a PNG of "
                + "cue / recalled / original rows. --data: an MNIST directory, an IDX image file or mnist-10k (the embedded "
                + "subset, the default).",
        footer = "Example: ebm hopfield mnist --corrupt mask --mask bottom --out digits.png")
final class HopfieldMnistCommand extends CliCommand {
    @Option(names = "--digits", defaultValue = "0,1,2,3,4,5,6,7,8,9", split = ",", paramLabel = "D",
            description = "Which digits to store, one image each (default: ${DEFAULT-VALUE}).")
    List<Integer> digits;

    @Option(names = "--example", defaultValue = "0", paramLabel = "N",
            description = "Use the K-th image (0-based) of each digit in the data (default: ${DEFAULT-VALUE}).")
    int example;

    @Mixin
    LearningRuleOption rule = new LearningRuleOption("pseudo-inverse");

    @Option(names = "--corrupt", defaultValue = "flip", paramLabel = "flip|mask",
            description = "Flip a fraction of the pixels (--flip) or hide a region (--mask) (default: ${DEFAULT-VALUE}).")
    String corrupt;

    @Mixin
    CueFlipOption flip = new CueFlipOption(0.2);

    @Option(names = "--mask", defaultValue = "bottom", paramLabel = "REGION",
            description = "Hidden region for --corrupt mask: top, bottom, left, right (default: ${DEFAULT-VALUE}); the "
                    + "visible part is clamped.")
    String mask;

    @Option(names = "--threshold", defaultValue = "0.5", paramLabel = "X",
            description = "Pixel intensity (0..1) at or above which a pixel is +1 (default: ${DEFAULT-VALUE}).")
    double threshold;

    @Mixin
    DataOption data = DataOption.mnist();

    @Mixin
    RecallDynamics recall;

    @Option(names = "--out", paramLabel = "FILE",
            description = "PNG to write (default: ${DEFAULT-VALUE}).")
    Path png = Path.of("hopfield-mnist.png");

    @Mixin
    PngScaleOption scale = new PngScaleOption(3);

    @Mixin
    SeedOption seed;

    @Override
    public Integer call() throws Exception {
        recall.validate(checks);
        LearningRule r = rule.parse(checks);
        if (digits.isEmpty()) {
            throw checks.fail("--digits must name at least one digit");
        }
        for (Integer d : digits) {
            if (d == null || d < 0 || d > 9) {
                throw checks.fail("--digits values must lie in 0..9 but one was " + d);
            }
        }
        checks.atLeast("--example", example, 0);
        double flipped = flip.value(checks);
        checks.inRange("--threshold", threshold, 0.0, 1.0, false);
        int magnification = scale.value(checks);
        String mode = corrupt.trim().toLowerCase(java.util.Locale.ROOT);
        if (!mode.equals("flip") && !mode.equals("mask")) {
            throw checks.fail("--corrupt must be flip or mask but was '" + corrupt + "'");
        }
        Dataset mnist = data.source().load(Mnist.Split.TRAIN, ',');
        int n = mnist.cols();
        int width = mnist.imageWidth();
        int height = mnist.imageHeight();
        boolean[] hidden = mode.equals("mask") ? checks.parse("--mask", () -> CueCorruption.region(mask, n, width)) : null;
        int k = digits.size();
        float[] patterns = new float[k * n];
        int[] rows = new int[k];
        for (int j = 0; j < k; j++) {
            rows[j] = find(mnist, digits.get(j), example);
            if (rows[j] < 0) {
                throw checks.fail("--example " + example + ": the data has fewer than " + (example + 1) + " images of digit "
                        + digits.get(j));
            }
            for (int i = 0; i < n; i++) {
                patterns[j * n + i] = mnist.values()[rows[j] * n + i] >= threshold ? 1f : -1f;
            }
        }
        Dataset patternData = Dataset.of(mnist.name() + " digits " + digits, k, n, patterns);
        Dataset cueData = hidden == null ? CueCorruption.flip(patternData, flipped, seed.value()) : CueCorruption.mask(patternData, hidden);
        float[] cues = cueData.values();
        boolean[] clamped = hidden == null ? null : UnitRanges.complement(hidden);
        JsonOrText printer = output();
        long t0 = System.nanoTime();
        float[] recalled;
        RecallResult result;
        String backendUsed;
        try (Backend backend = openBackend();
             HopfieldNetwork net = HopfieldNetwork.fit(backend, patternData, HopfieldOptions.builder().rule(r).build())) {
            backendUsed = backend.name();
            RecalledStates states = net.recall(cueData, recall.options(seed.value()), clamped);
            recalled = states.states();
            result = states.result();
        }
        double seconds = secondsSince(t0);
        int exact = 0;
        double sum = 0;
        for (int j = 0; j < k; j++) {
            double m = PatternOverlaps.overlap(recalled, j, patterns, j, n);
            int nearest = PatternOverlaps.nearest(recalled, j, patterns, n);
            exact += m == 1.0 ? 1 : 0;
            sum += m;
            Map<String, Object> ev = new LinkedHashMap<>();
            ev.put("digit", digits.get(j));
            ev.put("image", rows[j]);
            ev.put("cue_overlap", PatternOverlaps.overlap(cues, j, patterns, j, n));
            ev.put("overlap", m);
            ev.put("exact", m == 1.0);
            ev.put("nearest_digit", digits.get(nearest));
            ev.put("status", result.status()[j].name().toLowerCase(java.util.Locale.ROOT));
            printer.row("digit", ev);
        }
        BinaryImageGrid.writeSpinRows(png, height, width, magnification, cues, recalled, patterns);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("backend", backendUsed);
        s.put("data", mnist.name());
        s.put("rule", r.toString());
        s.put("corrupt", hidden == null ? "flip " + flipped : "mask " + mask);
        s.put("digits", k);
        s.put("exact", exact);
        s.put("mean_overlap", sum / k);
        s.put("iterations", result.iterations());
        s.put("out", png.toString());
        s.put("seconds", seconds);
        printer.result("summary", s);
        return 0;
    }

    private static int find(Dataset d, int digit, int skip) {
        int[] labels = d.labels();
        if (labels == null) {
            return -1;
        }
        for (int r = 0; r < labels.length; r++) {
            if (labels[r] == digit && skip-- == 0) {
                return r;
            }
        }
        return -1;
    }
}
