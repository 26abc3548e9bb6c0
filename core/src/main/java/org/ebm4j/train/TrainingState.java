package org.ebm4j.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.ebm4j.data.Printable;
import org.ebm4j.io.ModelFile;
import org.ebm4j.io.ModelFormatException;

/**
 * Everything besides the model's parameters that a resumed run needs to continue exactly as if
 * it had not stopped, for any trainer: the completed epochs, named counters (random stream
 * positions, iteration counts, adapted step sizes as raw bits) and named host arrays (momentum
 * velocities, persistent chains). A host snapshot: it owns no backend memory.
 *
 * <p>Stored in a checkpoint as metadata {@code state.trainer}, {@code state.epochs_done},
 * {@code state.counter.NAME}, {@code state.history} (the reported metrics, see {@link Reported}; absent
 * when there are none, as in checkpoints written before it existed) and tensors {@code state.NAME}.
 *
 * @param trainer    what kind of trainer wrote it (restoring into another kind is refused)
 * @param epochsDone completed epochs
 * @param counters   named 64-bit values, sorted by name
 * @param arrays     named matrices, sorted by name
 * @param reports    the metrics the run reported up to here, epoch by epoch ({@link TrainingRun} keeps them,
 *                   so a resumed run can hand them to its listeners); a trainer's own state has none
 */
public record TrainingState(String trainer, int epochsDone, Map<String, Long> counters,
                            Map<String, ModelFile.Entry> arrays, List<Reported> reports) {
    static final String PREFIX = "state.";
    private static final String HISTORY = PREFIX + "history";
    /** The first word of {@code state.history}: the layout of what follows. */
    private static final String HISTORY_FORMAT = "v1";

    public TrainingState {
        Objects.requireNonNull(trainer, "trainer");
        if (epochsDone < 0) {
            throw new IllegalArgumentException("completed epochs must be >= 0, found " + epochsDone);
        }
        // Sorted copies (not Map.copyOf, whose order changes with every JVM start), so anything that
        // iterates them writes the same bytes on every run.
        counters = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(counters));
        arrays = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(arrays));
        reports = List.copyOf(reports);
    }

    /** A state without reports: what a trainer's {@link EpochTrainer#state()} gives. */
    public TrainingState(String trainer, int epochsDone, Map<String, Long> counters,
                         Map<String, ModelFile.Entry> arrays) {
        this(trainer, epochsDone, counters, arrays, List.of());
    }

    /**
     * The metrics one epoch reported, timings left out: they are wall-clock values, which would make two
     * checkpoints of the same run differ, and no history needs them.
     *
     * @param epoch   the 1-based epoch
     * @param metrics the metrics by name, in report order; names are words of letters, digits, {@code _},
     *                {@code .} and {@code -}
     */
    public record Reported(int epoch, Map<String, Double> metrics) {
        public Reported {
            for (String name : metrics.keySet()) {
                if (!name.matches("[A-Za-z0-9_.-]+")) {
                    throw new IllegalArgumentException("metric name '" + name + "' is not a word of letters, digits,"
                            + " '_', '.' and '-'");
                }
            }
            metrics = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        }

        /** What {@code report} leaves for the history: its metrics but timings, or null when none is left. */
        public static Reported of(EpochReport report) {
            Map<String, Double> m = new LinkedHashMap<>(report.metrics());
            m.keySet().removeIf(name -> name.endsWith("seconds"));
            return m.isEmpty() ? null : new Reported(report.epoch(), m);
        }
    }

    /** This state with {@code reports} as its history. */
    public TrainingState withReports(List<Reported> reports) {
        return new TrainingState(trainer, epochsDone, counters, arrays, reports);
    }

    /** A builder for a trainer's {@code state()}. */
    public static Builder builder(String trainer, int epochsDone) {
        return new Builder(trainer, epochsDone);
    }

    /** The counter {@code name}; a state without it was written by another trainer. */
    public long counter(String name) {
        Long v = counters.get(name);
        if (v == null) {
            throw new IllegalArgumentException("training state of '" + trainer + "' lacks the counter '" + name
                    + "' (has " + counters.keySet() + ")");
        }
        return v;
    }

    /** The array {@code name}, checked to be {@code rows x cols}. */
    public float[] array(String name, int rows, int cols) {
        ModelFile.Entry e = arrays.get(name);
        if (e == null) {
            throw new IllegalArgumentException("training state of '" + trainer + "' lacks the array '" + name
                    + "' (has " + arrays.keySet() + ")");
        }
        if (e.rows() != rows || e.cols() != cols) {
            throw new IllegalArgumentException("training state array '" + name + "' is " + e.rows() + "x" + e.cols()
                    + " but this run needs " + rows + "x" + cols);
        }
        return e.data();
    }

    /** Whether the state holds the array {@code name}. */
    public boolean hasArray(String name) {
        return arrays.containsKey(name);
    }

    /** Refuses a state written by another kind of trainer or past the planned epochs. */
    public void checkFits(String expectedTrainer, int plannedEpochs) {
        if (!trainer.equals(expectedTrainer)) {
            throw new IllegalArgumentException("training state was written by a '" + trainer
                    + "' trainer and cannot resume a '" + expectedTrainer + "' trainer");
        }
        if (epochsDone > plannedEpochs) {
            throw new IllegalArgumentException("training state is at epoch " + epochsDone + ", past the "
                    + plannedEpochs + " planned epochs");
        }
    }

    /** Adds this state to {@code f} (see the class comment for the keys). */
    public void writeTo(ModelFile f) {
        f.putMetadata(PREFIX + "trainer", trainer);
        f.putMetadata(PREFIX + "epochs_done", Integer.toString(epochsDone));
        counters.forEach((k, v) -> f.putMetadata(PREFIX + "counter." + k, Long.toString(v)));
        if (!reports.isEmpty()) {
            f.putMetadata(HISTORY, encode(reports));
        }
        arrays.values().forEach(e -> f.putTensor(PREFIX + e.name(), e.rows(), e.cols(), e.data()));
    }

    /** {@code v1;EPOCH NAME=VALUE NAME=VALUE;EPOCH ...}, values as {@link Double#toString} writes them (exact). */
    private static String encode(List<Reported> reports) {
        StringBuilder sb = new StringBuilder(HISTORY_FORMAT);
        for (Reported r : reports) {
            sb.append(';').append(r.epoch());
            r.metrics().forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
        }
        return sb.toString();
    }

    private static List<Reported> decode(String history, String source) throws ModelFormatException {
        String[] entries = history.split(";");
        if (!entries[0].equals(HISTORY_FORMAT)) {
            throw new ModelFormatException(source + ": training history of an unknown format "
                    + Printable.quote(entries[0]) + " (this version reads " + HISTORY_FORMAT + ")");
        }
        List<Reported> reports = new ArrayList<>();
        for (int i = 1; i < entries.length; i++) {
            String[] words = entries[i].split(" ");
            try {
                Map<String, Double> m = new LinkedHashMap<>();
                for (int w = 1; w < words.length; w++) {
                    int eq = words[w].indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException(words[w]);
                    }
                    m.put(words[w].substring(0, eq), Double.parseDouble(words[w].substring(eq + 1)));
                }
                reports.add(new Reported(Integer.parseInt(words[0]), m));
            } catch (IllegalArgumentException e) {
                throw new ModelFormatException(source + ": malformed training history entry " + i + " "
                        + Printable.quote(entries[i]) + ", expected EPOCH NAME=VALUE ...");
            }
        }
        return reports;
    }

    /** Whether {@code f} carries a training state (is a checkpoint). */
    public static boolean isIn(ModelFile f) {
        return f.metadata().containsKey(PREFIX + "trainer");
    }

    /** Reads what {@link #writeTo} wrote; {@code source} names the file in errors. */
    public static TrainingState readFrom(ModelFile f, String source) throws ModelFormatException {
        String trainer = f.require(PREFIX + "trainer", source);
        Builder b;
        try {
            b = new Builder(trainer, Integer.parseInt(f.require(PREFIX + "epochs_done", source)));
            String counterPrefix = PREFIX + "counter.";
            for (Map.Entry<String, String> e : f.metadata().entrySet()) {
                if (e.getKey().startsWith(counterPrefix)) {
                    b.counter(e.getKey().substring(counterPrefix.length()), Long.parseLong(e.getValue()));
                }
            }
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(source + ": malformed training state: " + e.getMessage());
        }
        for (ModelFile.Entry e : f.tensors().values()) {
            if (e.name().startsWith(PREFIX)) {
                ModelFile.requireFinite(e, source);
                b.array(e.name().substring(PREFIX.length()), e.rows(), e.cols(), e.data());
            }
        }
        String history = f.metadata().get(HISTORY);
        return history == null ? b.build() : b.build().withReports(decode(history, source));
    }

    /** Collects a state's counters and arrays. */
    public static final class Builder {
        private final String trainer;
        private final int epochsDone;
        private final Map<String, Long> counters = new LinkedHashMap<>();
        private final Map<String, ModelFile.Entry> arrays = new LinkedHashMap<>();

        private Builder(String trainer, int epochsDone) {
            this.trainer = trainer;
            this.epochsDone = epochsDone;
        }

        public Builder counter(String name, long value) {
            counters.put(name, value);
            return this;
        }

        /** A double kept exactly, as its raw bits. */
        public Builder counter(String name, double value) {
            return counter(name, Double.doubleToRawLongBits(value));
        }

        public Builder array(String name, int rows, int cols, float[] data) {
            arrays.put(name, new ModelFile.Entry(name, rows, cols, data));
            return this;
        }

        public TrainingState build() {
            return new TrainingState(trainer, epochsDone, counters, arrays);
        }
    }
}
