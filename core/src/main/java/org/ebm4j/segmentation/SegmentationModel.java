package org.ebm4j.segmentation;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.ebm4j.conditional.ConditionalEnergy;
import org.ebm4j.conditional.ConditionalModel;
import org.ebm4j.conditional.ConditionalOptions;
import org.ebm4j.conditional.LatentReduction;
import org.ebm4j.data.HoldOut;
import org.ebm4j.energy.EnergyModelFile;
import org.ebm4j.energy.EnergyNetwork;
import org.ebm4j.energy.TrainableEnergy;
import org.ebm4j.io.ModelFile;
import org.ebm4j.io.ModelFormatException;
import org.ebm4j.io.Provenance;
import org.ebm4j.io.OwningModel;
import org.ebm4j.random.StreamId;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Backends;
import org.ebm4j.train.Checkpointing;
import org.ebm4j.train.TrainingListener;
import org.ebm4j.train.TrainingRun;

/**
 * A trained latent-segmentation recognizer: reads the digit string in an image by
 * {@code (y*, z*) = argmin E(x, y, z)} ({@link SegmentationEnergy}). {@link #fit} trains one end to end
 * on labelled strings; {@link #save}/{@link #load} write and read it with its provenance.
 *
 * <p>Model file: {@code model} = {@value #KIND}; {@code segmentation.encoding}, {@code segmentation.answers},
 * {@code segmentation.energy_model} (the segment network's kind), the graph's options as
 * {@code segmentation.graph.*}, and the segment network's {@code energy.*} settings and tensors.
 */
public final class SegmentationModel extends OwningModel<SegmentationEnergy> {
    /** The {@code model} entry of the file. */
    public static final String KIND = "segmentation";
    private static final String PREFIX = "segmentation.";
    private static final String GRAPH = PREFIX + "graph.";

    private SegmentationModel(SegmentationEnergy energy, Provenance provenance) {
        super(energy, provenance, "segmentation recognizer", energy::close);
    }

    /** The accuracies of a recognizer on labelled strings. */
    public record Accuracy(int strings, double wholeString, double perDigit, double wholeStringGivenSegmentation,
                           double perDigitGivenSegmentation) {
    }

    /**
     * The training defaults of a recognizer, which {@code ebm segment train} uses too: {@link
     * ConditionalOptions#builder()}'s with the {@code nll} loss (the perceptron and LVQ2 learn far less at
     * these budgets) and batches of 10 strings (a string holds several digits, so 10 strings carry about
     * as many segments as the 50 images of a conditional energy's batch).
     */
    public static ConditionalOptions.Builder trainingOptions() {
        return ConditionalOptions.builder().loss("nll").batchSize(10);
    }

    /** {@link #fit(Backend, List, SegmentationOptions, ConditionalOptions, Checkpointing, TrainingListener...)} on the default backend. */
    public static SegmentationModel fit(List<DigitString> data, SegmentationOptions graph, ConditionalOptions training,
                                        TrainingListener... listeners) {
        return fit(Backends.get(), data, graph, training, Checkpointing.none(), listeners);
    }

    /**
     * Trains a fresh recognizer on labelled strings: the segment network (a conditional energy over
     * {@code graph.windowSize()} inputs and 10 digits, built as {@code training} says and initialized from
     * {@link StreamId#SEGMENTATION_INIT}) learns end to end with {@code training}'s loss
     * ({@link SegmentationLoss}). Each epoch reports its mean loss per string and its training error.
     *
     * <p>Training safety ({@link ConditionalOptions#safety}): a diverged epoch is rolled back with the rate
     * halved, at most {@code max_rollbacks} times. With {@code holdout} strings held out (the last strings of
     * {@code data}, not trained on), every epoch also reports {@link ConditionalModel#HELDOUT_METRIC} (their
     * mean loss per string under {@code training}'s loss) and {@link ConditionalModel#HELDOUT_ERROR} (the
     * fraction read wrong); early stopping ({@code patience > 0}) watches {@link ConditionalModel#HELDOUT_METRIC},
     * the model keeping the best epoch's parameters.
     *
     * @throws IllegalArgumentException when the hold-out leaves no strings to train on, or a string's length is
     *         outside the graph's answers
     */
    public static SegmentationModel fit(Backend backend, List<DigitString> data, SegmentationOptions graph,
                                        ConditionalOptions training, Checkpointing checkpointing,
                                        TrainingListener... listeners) {
        Objects.requireNonNull(graph, "graph options");
        Objects.requireNonNull(training, "training options");
        SegmentationLoss.of(training); // refuses what the recognizer does not take before anything is built
        int answers = 10;
        // One joint row per string is a lower bound: a string's graph holds several windows.
        training.requireMemory(graph.windowSize(), answers, 1);
        int kept = HoldOut.trainingCount("the digit strings", data.size(), training.holdout(), "strings");
        EnergyNetwork net = new EnergyNetwork(backend, training.encoding().jointColumns(graph.windowSize(), answers, 0),
                training.layers(), training.visiblePrecision());
        net.initialize(StreamId.SEGMENTATION_INIT.open(training.seed()), training.weightScale(),
                training.initialScale());
        SegmentationEnergy e = new SegmentationEnergy(new ConditionalEnergy(net, training.encoding(),
                graph.windowSize(), answers, 0, LatentReduction.minimum()), graph);
        try {
            Map<String, String> options = new LinkedHashMap<>(training.toMap());
            graph.toMap().forEach((k, v) -> options.put("graph." + k, v));
            Provenance.Builder record = Provenance.builder().model(KIND).options(options)
                    .data("digit strings", data.size(), graph.windowSize(), sha256(data)).seed(training.seed())
                    .backend(backend.name(), backend.describe());
            Provenance during = record.build();
            try (SegmentationTrainer trainer = new SegmentationTrainer(e, data.subList(0, kept),
                    data.subList(kept, data.size()), training)) {
                TrainingRun.run(trainer, null, () -> fileOf(e, during),
                        file -> EnergyModelFile.restoreParameters(e.segment().joint(), file), checkpointing,
                        trainer.batchesPerEpoch() * training.batchRows(kept),
                        (epoch, epochs) -> trainer.epochMetrics(), training.safety(kept < data.size()),
                        List.of(listeners));
                return new SegmentationModel(e, record.draws(trainer.drawPositions()).build());
            }
        } catch (RuntimeException ex) {
            e.close();
            throw ex;
        }
    }

    /** Reads a model written by {@link #save} onto {@code backend}. */
    public static SegmentationModel load(Path path, Backend backend) throws IOException {
        return fromModelFile(ModelFile.read(path), backend, path.toString());
    }

    /**
     * The recognizer held by a model file already read ({@link #toModelFile()}), onto {@code backend};
     * {@code source} names the file in messages.
     */
    public static SegmentationModel fromModelFile(ModelFile file, Backend backend, String source)
            throws ModelFormatException {
        ModelFile f = file.requireModel(KIND, "a segmentation recognizer", source);
        Map<String, String> graphMap = new LinkedHashMap<>();
        f.metadata().forEach((k, v) -> {
            if (k.startsWith(GRAPH)) {
                graphMap.put(k.substring(GRAPH.length()), v);
            }
        });
        SegmentationOptions graph;
        ConditionalEnergy.Encoding encoding;
        int answers;
        try {
            graph = SegmentationOptions.fromMap(graphMap);
            encoding = ConditionalEnergy.Encoding.byName(f.require(PREFIX + "encoding", source));
            answers = Integer.parseInt(f.require(PREFIX + "answers", source));
        } catch (IllegalArgumentException ex) {
            throw new ModelFormatException(source + ": malformed segmentation recognizer: " + ex.getMessage());
        }
        TrainableEnergy joint = EnergyModelFile.embedded(backend, f, PREFIX + "energy_model", source);
        try {
            return new SegmentationModel(new SegmentationEnergy(new ConditionalEnergy(joint, encoding,
                    graph.windowSize(), answers, 0, LatentReduction.minimum()), graph),
                    Provenance.fromMetadata(f.metadata()));
        } catch (IllegalArgumentException ex) {
            joint.close();
            throw new ModelFormatException(source + ": malformed segmentation recognizer: " + ex.getMessage());
        }
    }

    @Override
    protected ModelFile modelFile(Provenance provenance) {
        return fileOf(owned(), provenance);
    }

    private static ModelFile fileOf(SegmentationEnergy e, Provenance provenance) {
        ConditionalEnergy segment = e.segment();
        ModelFile file = EnergyModelFile.toModelFile(segment.joint());
        Map<String, String> m = new LinkedHashMap<>();
        m.put(PREFIX + "energy_model", file.metadata().get("model"));
        m.put("model", KIND);
        m.put(PREFIX + "encoding", segment.encoding().id());
        m.put(PREFIX + "answers", Integer.toString(segment.answers()));
        e.options().toMap().forEach((k, v) -> m.put(GRAPH + k, v));
        m.putAll(provenance.toMetadata());
        return file.putMetadata(m);
    }

    // SHA-256 over each string's height, width, pixels, digits and cuts (little-endian): names the exact data.
    static String sha256(List<DigitString> strings) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("the JVM has no SHA-256", ex);
        }
        for (DigitString s : strings) {
            ByteBuffer b = ByteBuffer.allocate(4 * (2 + s.pixels().length + s.digits().length + s.cuts().length))
                    .order(ByteOrder.LITTLE_ENDIAN);
            b.putInt(s.height()).putInt(s.width());
            for (float v : s.pixels()) {
                b.putFloat(v);
            }
            for (int d : s.digits()) {
                b.putInt(d);
            }
            for (int c : s.cuts()) {
                b.putInt(c);
            }
            md.update(b.flip());
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** The recognizer's energy (owned by this model). */
    public SegmentationEnergy energy() {
        return owned();
    }

    /** The reading {@code (y*, z*)} of every string. */
    public List<SegmentationGraph.Reading> read(List<DigitString> strings) {
        return owned().infer(strings);
    }

    /**
     * Whole-string and per-digit accuracy on labelled strings, found and given the true segmentation (the
     * difference is the cost of the latent variable). Per-digit accuracy is {@code 1 - edits / digits}: the
     * Levenshtein distances between readings and truths over the number of true digits (at least 0).
     */
    public Accuracy accuracy(List<DigitString> strings) {
        List<SegmentationGraph.Reading> found = owned().infer(strings);
        List<int[]> given = owned().readGivenSegmentation(strings);
        long digits = 0;
        long edits = 0;
        long editsGiven = 0;
        int right = 0;
        int rightGiven = 0;
        for (int i = 0; i < strings.size(); i++) {
            int[] y = strings.get(i).digits();
            digits += y.length;
            edits += editDistance(found.get(i).digits(), y);
            editsGiven += editDistance(given.get(i), y);
            right += java.util.Arrays.equals(found.get(i).digits(), y) ? 1 : 0;
            rightGiven += java.util.Arrays.equals(given.get(i), y) ? 1 : 0;
        }
        int n = strings.size();
        return new Accuracy(n, (double) right / n, Math.max(0, 1 - (double) edits / digits), (double) rightGiven / n,
                Math.max(0, 1 - (double) editsGiven / digits));
    }

    /** The Levenshtein distance: the fewest insertions, deletions and substitutions that turn {@code a} into {@code b}. */
    static int editDistance(int[] a, int[] b) {
        int[] row = new int[b.length + 1];
        for (int j = 0; j <= b.length; j++) {
            row[j] = j;
        }
        for (int i = 1; i <= a.length; i++) {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.length; j++) {
                int up = row[j];
                row[j] = Math.min(Math.min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = up;
            }
        }
        return row[b.length];
    }
}
