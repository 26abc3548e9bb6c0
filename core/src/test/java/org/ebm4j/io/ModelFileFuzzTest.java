package org.ebm4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.ebm4j.boltzmann.BarsAndStripes;
import org.ebm4j.boltzmann.BoltzmannMachine;
import org.ebm4j.boltzmann.BoltzmannOptions;
import org.ebm4j.boltzmann.UnitValues;
import org.ebm4j.conditional.ConditionalModel;
import org.ebm4j.conditional.ConditionalOptions;
import org.ebm4j.data.Dataset;
import org.ebm4j.data.Binarization;
import org.ebm4j.dbm.Dbm;
import org.ebm4j.dbm.DbmClassifier;
import org.ebm4j.dbm.MeanField;
import org.ebm4j.dbm.DbmOptions;
import org.ebm4j.dbn.Dbn;
import org.ebm4j.dbn.DbnOptions;
import org.ebm4j.energy.EnergyModel;
import org.ebm4j.energy.EnergyOptions;
import org.ebm4j.energy.NegativeSampling;
import org.ebm4j.energy.demo.FourSquares;
import org.ebm4j.hopfield.HopfieldNetwork;
import org.ebm4j.hopfield.HopfieldOptions;
import org.ebm4j.rbm.Rbm;
import org.ebm4j.rbm.RbmOptions;
import org.ebm4j.segmentation.DigitString;
import org.ebm4j.segmentation.SegmentationModel;
import org.ebm4j.segmentation.SegmentationOptions;
import org.ebm4j.structured.ChainModel;
import org.ebm4j.structured.Sequences;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.train.Checkpointing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every single-bit flip and every truncation of a tiny model file of each kind, through the
 * family's own {@code load}: each either loads to exactly the saved values or is refused with an
 * {@link IOException} whose message is one printable line of bounded length naming the file.
 * Nothing else may happen (no runtime exception, no out-of-memory, no other values).
 */
class ModelFileFuzzTest {
    /** Longer than any message of the readers, shorter than a name or value that escaped unbounded. */
    private static final int MESSAGE_BOUND = 2100;

    @TempDir
    Path dir;

    @FunctionalInterface
    interface Loader {
        SavedModel load(Path path, Backend backend) throws IOException;
    }

    @FunctionalInterface
    interface Trainer {
        SavedModel fit(Backend backend);
    }

    /**
     * One tiny model per kind, named by the {@code model} entry its file carries, with the class whose
     * {@code load} reads it. {@link #everyKindOfModelFileHasACase} fails when a kind is added without one.
     */
    static Stream<Arguments> kinds() {
        return Stream.of(
                kind("rbm", Rbm.class, b -> Rbm.fit(b, bits(12, 4), RbmOptions.builder().hidden(2).holdout(2)
                        .chains(3).batchSize(4).epochs(1).seed(1).build(), Checkpointing.none()), Rbm::load),
                kind("dbn", Dbn.class, b -> Dbn.fit(b, labelled(), dbnOptions(), Checkpointing.none()), Dbn::load),
                kind("bm", BoltzmannMachine.class, b -> BoltzmannMachine.fit(b,
                        BarsAndStripes.dataset(2, UnitValues.BINARY), BoltzmannOptions.builder().hidden(1).epochs(1)
                                .batchSize(4).modelChains(4).samples(0).seed(1).build(), Checkpointing.none()),
                        BoltzmannMachine::load),
                kind("energy-network", EnergyModel.class, b -> EnergyModel.fit(b, FourSquares.dataset(8, 1),
                        EnergyOptions.builder().model(EnergyOptions.Model.NETWORK).layers("2:softplus").batchSize(4)
                                .updates(1).leapfrogSteps(1).trajectories(1).seed(1).build(), Checkpointing.none()),
                        EnergyModel::load),
                kind("energy-unigauss", EnergyModel.class, b -> EnergyModel.fit(b, FourSquares.dataset(8, 1),
                        EnergyOptions.builder().model(EnergyOptions.Model.UNIGAUSS).layers("2:softplus").experts(2)
                                .negatives(NegativeSampling.PERSISTENT).batchSize(4).updates(1).leapfrogSteps(1)
                                .seed(1).build(), Checkpointing.none()),
                        EnergyModel::load),
                kind("dbm", Dbm.class, ModelFileFuzzTest::tinyDbm, Dbm::load),
                kind("dbm-classifier", DbmClassifier.class, ModelFileFuzzTest::tinyDbmClassifier, DbmClassifier::load),
                kind("hopfield", HopfieldNetwork.class, b -> HopfieldNetwork.fit(b, bits(3, 4),
                        HopfieldOptions.builder().build()), HopfieldNetwork::load),
                kind("conditional-energy", ConditionalModel.class, b -> ConditionalModel.fit(b, labelled(), 2,
                        conditional(), Checkpointing.none()), ConditionalModel::load),
                kind("chain-energy", ChainModel.class, b -> ChainModel.fit(b, new Sequences(labelled(),
                        new int[] {3, 5}), 2, conditional(), Checkpointing.none()), ChainModel::load),
                kind("segmentation", SegmentationModel.class, b -> SegmentationModel.fit(b, digitStrings(),
                        SegmentationOptions.builder().window(2, 2).stride(2).maxSpan(1).digits(2, 2).build(),
                        conditional(), Checkpointing.none()), SegmentationModel::load));
    }

    private static Arguments kind(String kind, Class<? extends SavedModel> type, Trainer trainer, Loader loader) {
        return Arguments.of(kind, type, trainer, loader);
    }

    private static DbnOptions dbnOptions() {
        return DbnOptions.builder().hiddenLayers(3, 2).classes(2).chains(2).pretrainEpochs(1).pretrainBatchSize(4)
                .finetuneEpochs(1).finetuneBatchSize(4).seed(1).build();
    }

    private static ConditionalOptions conditional() {
        return ConditionalOptions.builder().loss("perceptron").layers("2:softplus").batchSize(2).epochs(1).seed(1)
                .build();
    }

    private static Dbm tinyDbm(Backend b) {
        return Dbm.fit(b, bits(8, 4), DbmOptions.builder().hidden(3, 2).binarization(Binarization.none())
                .pretrainEpochs(1).epochs(1).batchSize(4).chains(2).seed(1).centering(true).build(),
                Checkpointing.none());
    }

    // The classifier fitted on a DBM does not own it; read back from its own file it does, so closing
    // the returned model releases everything.
    private static SavedModel tinyDbmClassifier(Backend b) {
        try (Dbm dbm = tinyDbm(b);
             DbmClassifier c = DbmClassifier.fit(dbm, labelled(), dbnOptions(), MeanField.precise())) {
            return DbmClassifier.of(c.toModelFile(), "tiny dbm classifier", b);
        } catch (ModelFormatException e) {
            throw new IllegalStateException(e);
        }
    }

    // Two strings of two two-column digits, two rows high: windows of 2 x 2 and a cut every 2 columns.
    private static List<DigitString> digitStrings() {
        SplittableRandom r = new SplittableRandom(5);
        List<DigitString> strings = new ArrayList<>();
        for (int s = 0; s < 2; s++) {
            float[] pixels = new float[2 * 4];
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = r.nextInt(2);
            }
            strings.add(new DigitString(pixels, 2, 4, new int[] {s, s + 1}, new int[] {0, 2, 4}));
        }
        return strings;
    }

    /**
     * The kinds with a case are exactly the kinds the library writes: every {@code MODEL_KIND} constant
     * (the project's name for a file's {@code model} entry), the {@code KIND} of a concrete
     * {@link SavedModel} class without one, and, for {@link EnergyModel}, whose kind is that of its
     * energy function, {@code energy-KIND} per concrete {@code ParametricEnergy} (the energy functions a
     * file can hold). Every concrete {@link SavedModel} class of the library has a case too.
     */
    @Test
    void everyKindOfModelFileHasACase() throws Exception {
        Set<Class<?>> cased = new HashSet<>();
        Set<String> kinds = new TreeSet<>();
        kinds().forEach(a -> {
            kinds.add((String) a.get()[0]);
            cased.add((Class<?>) a.get()[1]);
        });
        Class<?> parametric = Class.forName("org.ebm4j.energy.ParametricEnergy");
        Set<Class<?>> models = new HashSet<>();
        Set<String> written = new TreeSet<>();
        for (Class<?> c : libraryClasses()) {
            constant(c, "MODEL_KIND").ifPresent(written::add);
            if (Modifier.isAbstract(c.getModifiers())) {
                continue;
            }
            if (SavedModel.class.isAssignableFrom(c)) {
                models.add(c);
                constant(c, "KIND").ifPresent(written::add);
            } else if (parametric.isAssignableFrom(c)) {
                written.add("energy-" + constant(c, "KIND").orElseThrow(
                        () -> new AssertionError(c.getName() + " has no KIND")));
            }
        }
        assertEquals(models, cased, "the model classes with a fuzz case");
        assertEquals(written, kinds, "the model kinds with a fuzz case");
    }

    /**
     * Every class of the library (the classes directory or jar that holds {@link SavedModel}), loaded
     * without initializing it; plain reflection keeps this to a fraction of a second.
     */
    private static List<Class<?>> libraryClasses() throws IOException, ClassNotFoundException {
        Path location;
        try {
            location = Path.of(SavedModel.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IOException(e);
        }
        List<String> names = new ArrayList<>();
        try (FileSystem jar = Files.isDirectory(location) ? null : FileSystems.newFileSystem(location)) {
            Path root = jar == null ? location : jar.getPath("/");
            try (Stream<Path> files = Files.walk(root)) {
                files.map(f -> root.relativize(f).toString().replace(f.getFileSystem().getSeparator(), "."))
                        .filter(n -> n.startsWith("org.ebm4j.") && n.endsWith(".class"))
                        .forEach(n -> names.add(n.substring(0, n.length() - ".class".length())));
            }
        }
        List<Class<?>> classes = new ArrayList<>();
        for (String name : names) {
            classes.add(Class.forName(name, false, ModelFileFuzzTest.class.getClassLoader()));
        }
        return classes;
    }

    /** The value of the first of {@code names} that {@code c} itself declares as a static String. */
    private static Optional<String> constant(Class<?> c, String... names) throws IllegalAccessException {
        for (String name : names) {
            for (Field f : c.getDeclaredFields()) {
                if (f.getName().equals(name) && Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                    f.setAccessible(true);
                    return Optional.of((String) f.get(null));
                }
            }
        }
        return Optional.empty();
    }

    private static Dataset bits(int rows, int cols) {
        SplittableRandom r = new SplittableRandom(3);
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextInt(2);
        }
        return Dataset.of("bits", rows, cols, v);
    }

    private static Dataset labelled() {
        Dataset d = bits(8, 4);
        int[] labels = {0, 1, 0, 1, 0, 1, 0, 1};
        return new Dataset("labelled", 8, 4, d.values(), labels, 2, 2);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void everyBitFlipAndTruncationLoadsTheSameValuesOrIsRefusedInOneLine(String kind,
            Class<? extends SavedModel> type, Trainer trainer, Loader loader) throws Exception {
        Path original = dir.resolve(kind + ".ebm");
        Map<String, ModelFile.Entry> saved;
        try (Backend backend = new ReferenceBackend(); SavedModel m = trainer.fit(backend)) {
            assertEquals(type, m.getClass(), kind + " is fitted as another class");
            m.save(original);
            ModelFile file = m.toModelFile();
            assertEquals(kind, file.metadata().get("model"), "the case's name is the kind its file carries");
            saved = file.tensors();
        }
        try (Backend backend = new ReferenceBackend(); SavedModel back = loader.load(original, backend)) {
            assertEquals(type, back.getClass(), "the loader of " + kind + " reads another class");
        }
        byte[] bytes = Files.readAllBytes(original);
        Path damaged = dir.resolve("damaged-" + kind + ".ebm");
        int refused = 0;
        try (Backend backend = new ReferenceBackend()) {
            for (int bit = 0; bit < 8 * bytes.length; bit++) {
                byte[] b = bytes.clone();
                b[bit >>> 3] ^= (byte) (1 << (bit & 7));
                refused += loadOrRefuse(loader, backend, damaged, b, saved, "bit " + bit);
            }
            for (int len = 0; len < bytes.length; len++) {
                refused += loadOrRefuse(loader, backend, damaged, Arrays.copyOf(bytes, len), saved, "length " + len);
            }
        }
        // A flip in a byte the readers do not check would load: none exists, every byte is covered
        // by a CRC, the magic, the version, a length or the end marker.
        assertEquals(9 * bytes.length, refused, "every damaged variant is refused");
    }

    /**
     * 1 when refused properly, 0 when it loaded the saved values; fails the test otherwise. Every
     * family's {@code load} starts with {@link ModelFile#read} of the file's bytes, so that step runs
     * in memory (tens of thousands of variants in a second); only what it accepts is written and
     * handed to the family's loader.
     */
    private static int loadOrRefuse(Loader loader, Backend backend, Path file, byte[] content,
                                    Map<String, ModelFile.Entry> saved, String what) throws IOException {
        try {
            ModelFile.read(new java.io.ByteArrayInputStream(content), content.length, file.toString());
            Files.write(file, content);
        } catch (IOException e) {
            return refusal(e, file, what);
        } catch (RuntimeException | OutOfMemoryError e) {
            fail(what + ": " + e, e);
        }
        try (SavedModel m = loader.load(file, backend)) {
            Map<String, ModelFile.Entry> back = m.toModelFile().tensors();
            assertEquals(saved.keySet(), back.keySet(), what + " loaded other tensors");
            saved.forEach((name, e) -> assertTrue(Arrays.equals(e.data(), back.get(name).data()),
                    what + " loaded other values of " + name));
            return 0;
        } catch (IOException e) {
            return refusal(e, file, what);
        } catch (RuntimeException | OutOfMemoryError e) {
            fail(what + ": " + e, e);
            return 0;
        }
    }

    private static int refusal(IOException e, Path file, String what) {
        String msg = e.getMessage();
        assertTrue(msg != null && msg.contains(file.toString()), what + ": message names no file: " + msg);
        assertTrue(msg.length() <= MESSAGE_BOUND, what + ": message of " + msg.length() + " characters");
        assertTrue(msg.chars().noneMatch(c -> Character.isISOControl(c) || c == '\uFFFD'),
                what + ": unprintable message: " + msg);
        return 1;
    }
}
