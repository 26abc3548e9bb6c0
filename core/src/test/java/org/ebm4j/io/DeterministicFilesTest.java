package org.ebm4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.ebm4j.data.Dataset;
import org.ebm4j.rbm.Rbm;
import org.ebm4j.rbm.RbmOptions;
import org.ebm4j.rbm.TrainingMethod;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.train.Checkpointing;
import org.ebm4j.train.Interrupt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same content writes the same bytes: the property that lets {@code sha256sum} check a reproduction or a resume. */
class DeterministicFilesTest {
    @TempDir
    Path dir;

    private final Backend backend = new ReferenceBackend();

    private static byte[] bytes(ModelFile f) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        f.writeTo(out);
        return out.toByteArray();
    }

    /**
     * Insertion order is what differed between JVM starts (a Map.copyOf's iteration order is salted
     * per JVM), so building one file in two orders stands in for two JVMs.
     */
    @Test
    void insertionOrderDoesNotChangeTheBytes() throws IOException {
        Map<String, String> forward = new LinkedHashMap<>();
        Map<String, String> backward = new LinkedHashMap<>();
        for (int i = 0; i < 20; i++) {
            forward.put("key" + i, "value" + i);
            backward.put("key" + (19 - i), "value" + (19 - i));
        }
        ModelFile a = new ModelFile().putMetadata(forward).putTensor("a", 1, 2, new float[] {1, 2})
                .putTensor("b", 1, 1, new float[] {3});
        ModelFile b = new ModelFile().putTensor("b", 1, 1, new float[] {3}).putMetadata(backward)
                .putTensor("a", 1, 2, new float[] {1, 2});
        assertArrayEquals(bytes(a), bytes(b));
        ByteArrayOutputStream npzA = new ByteArrayOutputStream();
        ByteArrayOutputStream npzB = new ByteArrayOutputStream();
        ArrayArchive.NPZ.writeTo(npzA, NamedArray.fromModelFile(a, Map.of()), forward);
        ArrayArchive.NPZ.writeTo(npzB, NamedArray.fromModelFile(b, Map.of()), backward);
        assertArrayEquals(npzA.toByteArray(), npzB.toByteArray(), "npz export");
    }

    private static Dataset data() {
        Random r = new Random(11);
        float[] v = new float[40 * 6];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextInt(3) == 0 ? 1f : 0f;
        }
        return Dataset.of("bits", 40, 6, v);
    }

    private static RbmOptions options() {
        return RbmOptions.builder().hidden(3).holdout(8).method(TrainingMethod.PCD).chains(5).batchSize(8)
                .learningRate(0.1).momentum(0.5).epochs(4).seed(9).build();
    }

    private byte[] trainAndSave(String name, Checkpointing checkpointing) throws IOException {
        Path model = dir.resolve(name);
        try (Rbm rbm = Rbm.fit(backend, data(), options(), checkpointing)) {
            rbm.save(model);
        }
        return Files.readAllBytes(model);
    }

    @Test
    void twoRunsWithTheSameSeedWriteTheSameBytes() throws IOException {
        Path c1 = dir.resolve("c1.ebm");
        Path c2 = dir.resolve("c2.ebm");
        assertArrayEquals(trainAndSave("m1.ebm", Checkpointing.every(c1, 1)),
                trainAndSave("m2.ebm", Checkpointing.every(c2, 1)), "model files");
        assertArrayEquals(Files.readAllBytes(c1), Files.readAllBytes(c2), "checkpoints");
    }

    /** A run stopped after its epoch-2 checkpoint and resumed ends with the bytes of an uninterrupted run. */
    @Test
    void aKilledAndResumedRunWritesTheBytesOfAnUninterruptedOne() throws IOException {
        Path straightCkpt = dir.resolve("straight.ebm");
        byte[] straight = trainAndSave("straight-model.ebm", Checkpointing.every(straightCkpt, 2));
        Path ckpt = dir.resolve("killed.ebm");
        assertThrows(IllegalStateException.class,
                () -> Rbm.fit(backend, data(), options(), Checkpointing.every(ckpt, 2), new Interrupt(2)));
        Path resumedModel = dir.resolve("resumed-model.ebm");
        try (Rbm rbm = Rbm.resume(ckpt, data(), backend, Checkpointing.every(ckpt, 2))) {
            rbm.save(resumedModel);
        }
        assertArrayEquals(straight, Files.readAllBytes(resumedModel), "model files");
        assertArrayEquals(Files.readAllBytes(straightCkpt), Files.readAllBytes(ckpt), "final checkpoints");
    }
}
