package org.ebm4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.ebm4j.boltzmann.BarsAndStripes;
import org.ebm4j.boltzmann.BoltzmannMachine;
import org.ebm4j.boltzmann.BoltzmannOptions;
import org.ebm4j.boltzmann.UnitValues;
import org.ebm4j.conditional.ConditionalOptions;
import org.ebm4j.data.Dataset;
import org.ebm4j.data.Binarization;
import org.ebm4j.dbm.Dbm;
import org.ebm4j.dbm.DbmOptions;
import org.ebm4j.dbn.Dbn;
import org.ebm4j.dbn.DbnOptions;
import org.ebm4j.energy.EnergyModel;
import org.ebm4j.energy.EnergyOptions;
import org.ebm4j.energy.demo.FourSquares;
import org.ebm4j.rbm.Rbm;
import org.ebm4j.rbm.RbmOptions;
import org.ebm4j.structured.ChainModel;
import org.ebm4j.structured.Sequences;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.train.Checkpointing;
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

    static Stream<Arguments> kinds() {
        return Stream.of(
                Arguments.of("rbm", (Trainer) b -> Rbm.fit(b, bits(12, 4), RbmOptions.builder().hidden(2).holdout(2)
                        .chains(3).batchSize(4).epochs(1).seed(1).build(), Checkpointing.none()), (Loader) Rbm::load),
                Arguments.of("dbn", (Trainer) b -> Dbn.fit(b, labelled(), DbnOptions.builder().hiddenLayers(3, 2)
                        .classes(2).chains(2).pretrainEpochs(1).pretrainBatchSize(4).finetuneEpochs(1)
                        .finetuneBatchSize(4).seed(1).build(), Checkpointing.none()), (Loader) Dbn::load),
                Arguments.of("bm", (Trainer) b -> BoltzmannMachine.fit(b, BarsAndStripes.dataset(2, UnitValues.BINARY),
                        BoltzmannOptions.builder().hidden(1).epochs(1).batchSize(4).modelChains(4).samples(0).seed(1)
                                .build(), Checkpointing.none()), (Loader) BoltzmannMachine::load),
                Arguments.of("energy", (Trainer) b -> EnergyModel.fit(b, FourSquares.dataset(8, 1),
                        EnergyOptions.builder().model(EnergyOptions.Model.NETWORK).layers("2:softplus").batchSize(4)
                                .updates(1).leapfrogSteps(1).trajectories(1).seed(1).build(), Checkpointing.none()),
                        (Loader) EnergyModel::load),
                Arguments.of("dbm", (Trainer) b -> Dbm.fit(b, bits(8, 4), DbmOptions.builder().hidden(3, 2)
                        .binarization(Binarization.none()).pretrainEpochs(1).epochs(1).batchSize(4).chains(2).seed(1)
                        .centering(true).build(), Checkpointing.none()), (Loader) Dbm::load),
                Arguments.of("chain", (Trainer) b -> ChainModel.fit(b, new Sequences(labelled(), new int[] {3, 5}), 2,
                        ConditionalOptions.builder().loss("perceptron").layers("2:softplus").batchSize(2).epochs(1)
                                .seed(1).build(), Checkpointing.none()), (Loader) ChainModel::load));
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
    void everyBitFlipAndTruncationLoadsTheSameValuesOrIsRefusedInOneLine(String kind, Trainer trainer, Loader loader)
            throws Exception {
        Path original = dir.resolve(kind + ".ebm");
        Map<String, ModelFile.Entry> saved;
        try (Backend backend = new ReferenceBackend(); SavedModel m = trainer.fit(backend)) {
            m.save(original);
            saved = m.toModelFile().tensors();
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
