package org.ebm4j.hopfield;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.ebm4j.boltzmann.ClampMask;
import org.ebm4j.boltzmann.Couplings;
import org.ebm4j.boltzmann.NetworkFile;
import org.ebm4j.boltzmann.UnitValues;
import org.ebm4j.data.Dataset;
import org.ebm4j.data.InvalidDataFileException;
import org.ebm4j.io.ModelFile;
import org.ebm4j.io.ModelFormatException;
import org.ebm4j.io.Provenance;
import org.ebm4j.io.SavedModel;
import org.ebm4j.random.RandomStream;
import org.ebm4j.random.StreamId;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Backends;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.train.MemoryEstimate;

/**
 * A Hopfield network of {@code n} units in {-1, +1}: symmetric weights {@code W} ({@code n x n},
 * zero diagonal) and biases {@code b} ({@code 1 x n}) on a backend, with energy
 * {@code E(s) = -1/2 s^T W s - b^T s}. Patterns are stored with {@link LearningRule#HEBB},
 * {@link LearningRule#STORKEY} or {@link LearningRule#PSEUDO_INVERSE}, incrementally (each {@link #store} call adds to the weights); states
 * are recalled with {@link AsynchronousRecall}, {@link SynchronousRecall} or {@link StochasticRecall}.
 *
 * <p>The library's entry points: {@link #fit} stores a data set of patterns in a new network (storing
 * is a Hopfield network's training, closed-form), {@link #add} stores more, {@link #recall} runs any of
 * the dynamics on a batch of cues in one call, {@link #save}/{@link #load} keep the network in an
 * ebm4j model file with its {@link #provenance()}. The low-level {@link #store} methods take host
 * arrays or tensors and leave the provenance as it is.
 *
 * <p>States and patterns are {@code rows x n} tensors or row-major host arrays of -1 and +1; the
 * data-set entry points also accept 0/1 rows ({@link UnitValues#encode}).
 *
 * <p>Model file: metadata {@code model=hopfield}, {@code hopfield.units}, {@code hopfield.rule} (the
 * rules used, in order, joined by {@code +}), {@code hopfield.patterns} (patterns stored) and the
 * provenance; tensors {@code W} ({@code n x n}) and {@code bias} ({@code 1 x n}). The pseudo-inverse
 * rule's projector is not saved: a loaded network takes more patterns by the other rules only.
 */
public final class HopfieldNetwork implements SavedModel {
    /** The {@code model} metadata value of a Hopfield network's model file. */
    public static final String MODEL_KIND = "hopfield";
    /** The model file's tensor of the stored patterns ({@code patterns x units}, -1/+1). */
    static final String PATTERNS = "patterns";

    private final Couplings couplings;
    private int stored;
    private String rules = "";
    private int added;
    /**
     * The stored patterns as -1/+1 rows, kept so that a saved network can recall corrupted copies of
     * them on its own; null once a pattern was stored that is not known (a low-level {@link #store},
     * an imported or older file).
     */
    private float[] patterns = new float[0];
    private Provenance provenance = new Provenance(Map.of());
    private Tensor patternRow;
    private Tensor fieldRow;
    private Tensor residualRow;
    private Tensor projector;
    private Tensor projectorStep;
    private final int[] rowIndex = new int[1];

    public HopfieldNetwork(Backend backend, int units) {
        this.couplings = new Couplings(backend, units);
    }

    public Backend backend() {
        return couplings.backend();
    }

    /** The number of units {@code n}. */
    public int units() {
        return couplings.size();
    }

    /** How many patterns {@link #store} has added since construction or {@link #clear()}. */
    public int storedPatterns() {
        return stored;
    }

    /** Weights and biases; writing them directly is allowed (keep W symmetric with a zero diagonal). */
    public Couplings couplings() {
        return couplings;
    }

    /** Zero weights and biases, no stored patterns, no provenance. */
    public void clear() {
        Backend backend = couplings.backend();
        backend.fill(couplings.weights(), 0f);
        backend.fill(couplings.bias(), 0f);
        if (projector != null) {
            backend.fill(projector, 0f);
        }
        stored = 0;
        patterns = new float[0];
        rules = "";
        added = 0;
        provenance = new Provenance(Map.of());
    }

    /**
     * Adds {@code patterns.length / n} patterns (row-major, each value -1 or +1) to the weights by
     * {@code rule}. A value other than -1 or +1 is rejected with its pattern and unit named.
     */
    public void store(float[] patterns, LearningRule rule) {
        int n = units();
        if (patterns == null || patterns.length == 0 || patterns.length % n != 0) {
            throw new IllegalArgumentException("patterns must hold a positive multiple of " + n + " values (one row of "
                    + n + " per pattern) but " + (patterns == null ? "are null" : "hold " + patterns.length));
        }
        checkSpins("pattern", patterns, n);
        this.patterns = null;
        int count = patterns.length / n;
        try (Tensor t = backend().fromArray(patterns, count, n)) {
            storeChecked(t, rule);
        }
    }

    /** {@link #store(float[], LearningRule)} for patterns already on the backend ({@code count x n}). */
    public void store(Tensor patterns, LearningRule rule) {
        if (patterns.cols() != units()) {
            throw new IllegalArgumentException("patterns must have " + units() + " columns but are " + patterns.shape());
        }
        checkSpins("pattern", patterns.toArray(), units());
        this.patterns = null;
        storeChecked(patterns, rule);
    }

    private void storeChecked(Tensor patterns, LearningRule rule) {
        if (rule == null) {
            throw new IllegalArgumentException("learning rule is null; use HEBB, STORKEY or PSEUDO_INVERSE");
        }
        switch (rule) {
            case HEBB -> storeHebb(patterns);
            case STORKEY -> storeStorkey(patterns);
            case PSEUDO_INVERSE -> storeProjection(patterns);
            default -> throw new AssertionError(rule);
        }
        stored += patterns.rows();
        if (!rules.equals(rule.toString()) && !rules.endsWith("+" + rule)) {
            rules = rules.isEmpty() ? rule.toString() : rules + "+" + rule;
        }
    }

    /** The rules patterns were stored with, in order, joined by {@code +} (empty before any). */
    public String rules() {
        return rules;
    }

    private void storeHebb(Tensor patterns) {
        float inv = 1f / units();
        backend().gemm(true, false, inv, patterns, patterns, 1f, couplings.weights());
        couplings.zeroDiagonal(couplings.weights());
    }

    /*
     * With w_ii = 0 and xi_i^2 = 1, h_ij = f_i - w_ij xi_j where f = W xi, so the Storkey increment is
     * (1/n)(xi_i xi_j - xi_i f_j - f_i xi_j + 2 w_ij) = (1/n)(u_i u_j - f_i f_j) + (2/n) w_ij with
     * u = xi - f: two symmetric rank-one GEMMs, so W stays exactly symmetric.
     */
    private void storeStorkey(Tensor patterns) {
        Backend backend = backend();
        int n = units();
        allocateRows();
        Tensor w = couplings.weights();
        float inv = 1f / n;
        for (int k = 0; k < patterns.rows(); k++) {
            rowIndex[0] = k;
            backend.gatherRows(patterns, rowIndex, 0, patternRow);
            backend.gemm(false, false, 1f, patternRow, w, 0f, fieldRow);
            backend.sub(patternRow, fieldRow, residualRow);
            backend.gemm(true, false, inv, residualRow, residualRow, 1f + 2f * inv, w);
            backend.gemm(true, false, -inv, fieldRow, fieldRow, 1f, w);
            couplings.zeroDiagonal(w);
        }
    }

    /** The {@code 1 x n} rows of the incremental rules, allocated by the first of them to run. */
    private void allocateRows() {
        if (patternRow == null) {
            patternRow = backend().allocate(1, units());
            fieldRow = backend().allocate(1, units());
            residualRow = backend().allocate(1, units());
        }
    }

    /** Below this squared norm (relative to n) a pattern's new component is rounding noise: it is in the span. */
    private static final double SPAN_TOLERANCE = 1e-4;

    /*
     * The projector P onto the span of the patterns stored so far by this rule is kept whole (with its
     * diagonal) in its own tensor; W receives the same rank-one steps with the diagonal removed, so
     * patterns stored by other rules stay in W.
     */
    private void storeProjection(Tensor patterns) {
        Backend backend = backend();
        int n = units();
        allocateRows();
        if (projector == null) {
            projector = backend.allocate(n, n);
            projectorStep = backend.allocate(n, n);
        }
        for (int k = 0; k < patterns.rows(); k++) {
            rowIndex[0] = k;
            backend.gatherRows(patterns, rowIndex, 0, patternRow);
            backend.gemm(false, false, 1f, patternRow, projector, 0f, fieldRow);
            backend.sub(patternRow, fieldRow, residualRow);
            double norm2 = backend.dot(residualRow, residualRow);
            if (norm2 < SPAN_TOLERANCE * n) {
                continue;
            }
            // r^T r first, then the scale: each product r_i r_j is rounded once and equals r_j r_i, so
            // the step, the projector and W stay exactly symmetric (a scale folded into the GEMM
            // rounds (s r_i) r_j and r_i (s r_j) apart, and a saved W would not load back bit for bit).
            backend.gemm(true, false, 1f, residualRow, residualRow, 0f, projectorStep);
            backend.scale((float) (1.0 / norm2), projectorStep, projectorStep);
            backend.axpy(1f, projectorStep, projector);
            couplings.zeroDiagonal(projectorStep);
            backend.axpy(1f, projectorStep, couplings.weights());
        }
    }

    // ---- the library entry points -------------------------------------------------------------

    /** {@link #fit(Backend, Dataset, HopfieldOptions)} on the default backend. */
    public static HopfieldNetwork fit(Dataset patterns, HopfieldOptions options) {
        return fit(Backends.get(), patterns, options);
    }

    /**
     * A new network of {@code patterns.cols()} units storing every row of {@code patterns} (0/1 or
     * -1/+1, see {@link UnitValues#encode}) by {@code options.rule()}, with its provenance (rule, data
     * source, shape and SHA-256, backend). The caller closes it.
     */
    public static HopfieldNetwork fit(Backend backend, Dataset patterns, HopfieldOptions options) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(patterns, "patterns");
        // The n x n weights, the learning rule's n x n update and the host copy saved.
        MemoryEstimate.require("units", MemoryEstimate.floats(3, patterns.cols(), patterns.cols()), "the "
                + patterns.cols() + "x" + patterns.cols() + " weights");
        Dataset spins = UnitValues.SPIN.encode(patterns);
        HopfieldNetwork net = new HopfieldNetwork(backend, spins.cols());
        try {
            net.store(spins.values(), options.rule());
            net.patterns = spins.values().clone();
        } catch (RuntimeException e) {
            net.close();
            throw e;
        }
        net.provenance = Provenance.builder().model(MODEL_KIND).options(options.toMap())
                .data(patterns.name(), patterns.rows(), patterns.cols(), patterns.sha256())
                .backend(backend.name(), backend.describe()).build();
        return net;
    }

    /**
     * Stores the rows of {@code patterns} (0/1 or -1/+1) in this network by {@code options.rule()},
     * adding to the weights, and records them in the provenance under {@code added.K.*} (K = 1, 2, ...).
     * The pseudo-inverse rule needs the projector onto every pattern stored so far, which only a
     * network that stored all its patterns by that rule in this process has; otherwise it is refused.
     */
    public void add(Dataset patterns, HopfieldOptions options) {
        Objects.requireNonNull(options, "options");
        Dataset spins = UnitValues.SPIN.encode(Objects.requireNonNull(patterns, "patterns"));
        if (spins.cols() != units()) {
            throw new IllegalArgumentException(patterns + " rows have " + spins.cols() + " values but the network has "
                    + units() + " units");
        }
        if (options.rule() == LearningRule.PSEUDO_INVERSE && stored > 0
                && (projector == null || !rules.equals(LearningRule.PSEUDO_INVERSE.toString()))) {
            throw new IllegalArgumentException("the pseudo-inverse rule needs the projector onto all " + stored
                    + " stored patterns, which this network does not have (they were stored by '" + rules
                    + "' or loaded from a file, which keeps W only); store all its patterns in one fit");
        }
        float[] known = this.patterns;
        store(spins.values(), options.rule());
        this.patterns = known == null ? null : concat(known, spins.values());
        added++;
        Map<String, String> p = new LinkedHashMap<>(provenance.entries());
        String k = "added." + added + ".";
        p.put(k + "rule", options.rule().toString());
        p.put(k + "data.source", patterns.name());
        p.put(k + "data.rows", Integer.toString(patterns.rows()));
        p.put(k + "data.cols", Integer.toString(patterns.cols()));
        p.put(k + "data.sha256", patterns.sha256());
        provenance = new Provenance(p);
    }

    /** {@link #recall(Dataset, RecallOptions, boolean[])} with no unit clamped. */
    public RecalledStates recall(Dataset cues, RecallOptions options) {
        return recall(cues, options, null);
    }

    /**
     * Recalls every row of {@code cues} (0/1 or -1/+1) as {@code options} say, in one batch on the
     * backend, holding the units {@code clamped} marks (may be null: none) at their cue values. Random
     * unit orders and stochastic units draw from {@link StreamId#HOPFIELD_RECALL} under the options' seed.
     */
    public RecalledStates recall(Dataset cues, RecallOptions options, boolean[] clamped) {
        Objects.requireNonNull(options, "options");
        Dataset spins = UnitValues.SPIN.encode(Objects.requireNonNull(cues, "cues"));
        int n = units();
        if (spins.cols() != n) {
            throw new IllegalArgumentException(cues + " rows have " + spins.cols() + " values but the network has " + n
                    + " units");
        }
        if (clamped != null && clamped.length != n) {
            throw new IllegalArgumentException("the clamp mask covers " + clamped.length + " units but the network has "
                    + n);
        }
        int rows = spins.rows();
        Backend backend = backend();
        try (Tensor states = spins.toTensor(backend);
             Tensor clamp = clamped == null ? null : ClampMask.sameForAllChains(backend, rows, clamped);
             Tensor e = backend.allocate(rows, 1)) {
            RecallResult result = recall(states, clamp, options, StreamId.HOPFIELD_RECALL.open(options.seed()));
            energies(states, e);
            return new RecalledStates(states.toArray(), n, result, e.toArray());
        }
    }

    /** Runs {@code options}' dynamics in place on {@code states} with {@code rng} (see {@link #recall(Dataset, RecallOptions, boolean[])}). */
    RecallResult recall(Tensor states, Tensor clamp, RecallOptions options, RandomStream rng) {
        return switch (options.dynamics()) {
            case SYNC -> new SynchronousRecall(this, options.maxSweeps()).run(states, clamp);
            case ANNEAL -> new StochasticRecall(this, options.temperatureSchedule(), options.maxSweeps())
                    .run(states, clamp, rng);
            case ASYNC -> new AsynchronousRecall(this, options.maxSweeps()).run(states, clamp, rng);
        };
    }

    @Override
    public ModelFile toModelFile() {
        ModelFile f = couplings.toModelFile(MODEL_KIND, provenance, "hopfield.units", Integer.toString(units()),
                "hopfield.rule", rules, "hopfield.patterns", Integer.toString(stored));
        if (patterns != null && stored > 0) {
            f.putTensor(PATTERNS, stored, units(), patterns);
        }
        return f;
    }

    /**
     * The stored patterns as -1/+1 rows ({@code storedPatterns() x units()}), when every one is known:
     * stored by {@link #fit} or {@link #add} here, or read from a file that keeps them (files written
     * before they were kept, imported CSV networks and networks given patterns by a low-level
     * {@link #store} have none). A network that stores no pattern has none either: a data set has rows.
     */
    public java.util.Optional<Dataset> patterns() {
        if (patterns == null || stored == 0) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(Dataset.of("the " + stored + " patterns stored in the network", stored, units(),
                patterns.clone()));
    }

    private static float[] concat(float[] a, float[] b) {
        float[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    @Override
    public Provenance provenance() {
        return provenance;
    }

    /** {@link #load(Path, Backend)} on the default backend. */
    public static HopfieldNetwork load(Path path) throws IOException {
        return load(path, Backends.get());
    }

    /**
     * Reads a network saved by {@link #save}, or imports the CSV network file of earlier versions of
     * {@code ebm hopfield store} ({@link NetworkFile}; provenance {@code imported_from} only). A file
     * holding another kind of model is refused, naming the file and the kind.
     */
    public static HopfieldNetwork load(Path path, Backend backend) throws IOException {
        return NetworkFile.load(path, backend, MODEL_KIND, "a Hopfield network", HopfieldNetwork::importNetworkFile,
                HopfieldNetwork::fromModelFile);
    }

    private static HopfieldNetwork fromModelFile(ModelFile f, String source, Backend backend) throws IOException {
        int n = f.parse("hopfield.units", Integer::parseInt, "Hopfield", source);
        int patterns = f.parse("hopfield.patterns", Integer::parseInt, "Hopfield", source);
        if (n < 1 || patterns < 0) {
            throw new ModelFormatException(source + ": a Hopfield network needs >= 1 unit and >= 0 patterns, found " + n
                    + " and " + patterns);
        }
        HopfieldNetwork net = new HopfieldNetwork(backend, n);
        net.couplings.readInto(net, f, source);
        net.stored = patterns;
        // Files written before the patterns were kept have no such tensor: the network recalls, but not alone.
        net.patterns = patterns == 0 ? new float[0]
                : f.tensors().containsKey(PATTERNS) ? f.tensor(PATTERNS, patterns, n, source).data() : null;
        net.rules = f.require("hopfield.rule", source);
        net.provenance = Provenance.fromMetadata(f.metadata());
        net.added = (int) net.provenance.entries().keySet().stream().filter(k -> k.matches("added\\.\\d+\\.rule")).count();
        return net;
    }

    private static HopfieldNetwork importNetworkFile(Path path, Backend backend) throws IOException {
        NetworkFile f = NetworkFile.read(path);
        String kind = f.header().get("kind");
        if (kind != null && !kind.equals(MODEL_KIND)) {
            throw new InvalidDataFileException(path + ": holds a '" + kind + "' network, not a Hopfield network (kind="
                    + MODEL_KIND + ")");
        }
        HopfieldNetwork net = new HopfieldNetwork(backend, f.units());
        try {
            f.applyTo(net.couplings);
        } catch (RuntimeException e) {
            net.close();
            throw new InvalidDataFileException(path + ": " + e.getMessage());
        }
        net.stored = f.header().containsKey("patterns") ? f.intValue(path, "patterns") : 0;
        net.patterns = net.stored == 0 ? new float[0] : null;
        net.rules = f.header().getOrDefault("rule", "unknown");
        net.provenance = new Provenance(Map.of("imported_from", path.toString(), "model", MODEL_KIND));
        return net;
    }

    /** {@code out[r, 0] = E(states[r, :])}; {@code states} is {@code rows x n}, {@code out} {@code rows x 1}. */
    public void energies(Tensor states, Tensor out) {
        couplings.energies(states, out);
    }

    /** Energies of {@code rows x n} host states, one per row. */
    public float[] energies(float[] states) {
        int n = units();
        if (states == null || states.length == 0 || states.length % n != 0) {
            throw new IllegalArgumentException("states must hold a positive multiple of " + n + " values but "
                    + (states == null ? "are null" : "hold " + states.length));
        }
        int rows = states.length / n;
        try (Tensor s = backend().fromArray(states, rows, n); Tensor e = backend().allocate(rows, 1)) {
            energies(s, e);
            return e.toArray();
        }
    }

    /**
     * The energy gap of every unit, {@code out[r, i] = E(s with s_i = -1) - E(s with s_i = +1) = 2 h_i}
     * with {@code h = s W + b}: positive where the unit prefers +1. {@code states} and {@code out} are
     * {@code rows x n} ({@code out} may not alias {@code states}).
     */
    public void energyGaps(Tensor states, Tensor out) {
        Backend backend = backend();
        backend.gemm(false, false, 2f, states, couplings.weights(), 0f, out);
        backend.addRowVector(out, couplings.bias(), 2f, out);
    }

    /** Throws unless every value is -1 or +1, naming the first offender by row and unit. */
    static void checkSpins(String what, float[] values, int n) {
        for (int e = 0; e < values.length; e++) {
            float v = values[e];
            if (v != 1f && v != -1f) {
                throw new IllegalArgumentException(what + " " + (e / n) + ", unit " + (e % n) + " is " + v
                        + "; Hopfield states must be -1 or +1");
            }
        }
    }

    @Override
    public void close() {
        couplings.close();
        Tensor.closeAll(patternRow, fieldRow, residualRow, projector, projectorStep);
    }
}
