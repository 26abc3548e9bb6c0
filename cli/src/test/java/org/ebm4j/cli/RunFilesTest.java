package org.ebm4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.ebm4j.io.AtomicFiles;
import org.ebm4j.train.CheckpointWriter;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The files of a training run's directory: the same run writes the same bytes (so {@code sha256sum}
 * verifies a reproduction or a resume), a killed run resumed writes the bytes of an uninterrupted one,
 * and a run that fails while writing its outputs leaves the previous run's set as it was. Each family
 * trains on tiny data for a few epochs.
 */
class RunFilesTest {
    @TempDir
    static Path dir;

    /** A tiny run of each training command, its {@code --out} and {@code --seed} left to the caller. */
    private static final Map<String, List<String>> RUNS = Map.of(
            "rbm", List.of("rbm", "train", "--limit", "200", "--holdout", "50", "--epochs", "2", "--hidden", "4",
                    "--method", "pcd", "--chains", "10", "--samples", "4", "--sample-steps", "1"),
            "dbn", List.of("dbn", "train", "--layers", "6,4", "--limit", "200", "--holdout", "50", "--pretrain-epochs",
                    "1", "--finetune-epochs", "2", "--samples", "4", "--sample-steps", "1"),
            "dbm", List.of("dbm", "train", "--limit", "100", "--layers", "4,3", "--pretrain-epochs", "1", "--epochs",
                    "2", "--batch", "20", "--persistent-chains", "10", "--samples", "4", "--sample-steps", "1"),
            "bm", List.of("bm", "train", "--side", "3", "--hidden", "2", "--epochs", "4", "--metrics-every", "2",
                    "--samples", "8", "--sample-steps", "2"),
            "energy", List.of("energy", "train", "--data", "four-squares", "--points", "64", "--iterations", "4",
                    "--batch", "16", "--layers", "4:softplus", "--leapfrog-steps", "2", "--fantasies", "8",
                    "--fantasy-warmup", "2", "--fantasy-draws", "2"),
            "conditional", List.of("conditional", "train", "--limit", "60", "--held-out", "10", "--epochs", "1",
                    "--batch", "10", "--layers", "4:softplus"),
            "chain", List.of("chain", "train", "--limit", "200", "--held-out", "100", "--sequences", "4",
                    "--test-sequences", "2", "--length", "3", "--batch", "2", "--epochs", "1", "--layers", "4:softplus"),
            "segment", List.of("segment", "train", "--strings", "4", "--held-out", "2", "--epochs", "1", "--batch", "2",
                    "--layers", "4:softplus"));

    private static String[] args(String family, Path out, long seed, String... more) {
        List<String> a = new ArrayList<>(RUNS.get(family));
        a.addAll(List.of("--backend", "cpu", "--seed", Long.toString(seed), "--out", out.toString(), "--json", "-q"));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    /** Every file under {@code out} (relative name, bytes); directories are left out. */
    private static Map<String, byte[]> files(Path out) throws IOException {
        Map<String, byte[]> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(out)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                m.put(out.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return m;
    }

    private static void assertSameFiles(Map<String, byte[]> expected, Map<String, byte[]> actual, String what) {
        assertEquals(expected.keySet(), actual.keySet(), what + ": the same files");
        for (String name : expected.keySet()) {
            assertArrayEquals(expected.get(name), actual.get(name), what + ": " + name + " byte for byte");
        }
    }

    /**
     * The {@code done} event without its wall-clock entries: the keys that end in {@code seconds}, which
     * docs/cli.md lists as the only entries that differ between two runs of the same options.
     */
    private static JsonNode doneWithoutClock(CliRun r) {
        ObjectNode done = (ObjectNode) r.last();
        for (Iterator<String> it = done.fieldNames(); it.hasNext(); ) {
            if (it.next().endsWith("seconds")) {
                it.remove();
            }
        }
        return done;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"rbm", "dbn", "dbm", "bm", "energy", "conditional", "chain", "segment"})
    void twoRunsWithTheSameSeedWriteTheSameBytes(String family) throws IOException {
        Path a = dir.resolve(family + "-a");
        Path b = dir.resolve(family + "-b");
        CliRun first = CliRun.of(args(family, a, 7)).assertSucceeded();
        CliRun second = CliRun.of(args(family, b, 7)).assertSucceeded();
        Map<String, byte[]> filesA = files(a);
        assertTrue(filesA.containsKey("model.ebm") && filesA.containsKey("learning-curve.png"), filesA::toString);
        assertFalse(filesA.keySet().stream().anyMatch(n -> n.startsWith(".staging")), filesA::toString);
        assertSameFiles(filesA, files(b), family);
        // The summaries name their own directories; with those set alike the rest must agree.
        String summaryA = doneWithoutClock(first).toString().replace(a.toString(), "OUT");
        String summaryB = doneWithoutClock(second).toString().replace(b.toString(), "OUT");
        assertEquals(summaryA, summaryB, "the done events but their seconds");
    }

    /**
     * A run killed (SIGKILL, in a child JVM) once a checkpoint holds reported epochs, then resumed with
     * {@code --resume}, writes every file byte for byte as an uninterrupted run, {@code learning-curve.png}
     * included: the checkpoint carries the metrics of the epochs before it, which the resumed run draws
     * too. Waiting for reported epochs puts the DBM's kill in joint training, the phase its curve plots
     * (pretraining reports none). The child sleeps a second in every file write
     * ({@code ebm.test.atomicWriteDelayMillis}), so once such a checkpoint is in place the kill lands
     * before the run can finish. Two families keep the child JVMs few (the DBN's resumed weights are
     * compared in DbnCommandsTest).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"rbm", "dbm"})
    void aKilledAndResumedRunWritesTheBytesOfAnUninterruptedOne(String family) throws Exception {
        Path straight = dir.resolve(family + "-straight");
        CliRun.of(args(family, straight, 3)).assertSucceeded();

        Path out = dir.resolve(family + "-killed");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            cmd.add("--add-modules");
            cmd.add("jdk.incubator.vector"); // the kernels of this JVM, so the bytes can agree
        }
        cmd.add("-Debm.test.atomicWriteDelayMillis=1000");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Ebm.class.getName());
        cmd.addAll(List.of(args(family, out, 3)));
        Path log = dir.resolve(family + "-child.log");
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Path staged = out.resolve(".staging").resolve("checkpoint.ebm");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline && child.isAlive() && !holdsReports(staged)) {
            Thread.sleep(10);
        }
        child.destroyForcibly(); // SIGKILL: no finally blocks, no shutdown hooks
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        if (!holdsReports(staged) || Files.exists(out.resolve("model.ebm"))) {
            fail("the child was not caught between its first checkpoint and its end; its log:\n"
                    + Files.readString(log));
        }
        int done = CheckpointWriter.read(staged).state().epochsDone();
        assertTrue(done >= 1, "a complete checkpoint at epoch " + done);

        CliRun.of(args(family, out, 3, "--resume")).assertSucceeded();
        Map<String, byte[]> expected = files(straight);
        Map<String, byte[]> resumed = files(out);
        assertTrue(resumed.containsKey("learning-curve.png"), "the resumed run drew its curve");
        assertSameFiles(expected, resumed, family + " killed after epoch " + done + " and resumed");
    }

    /** Whether {@code checkpoint} exists and carries the metrics of at least one reported epoch. */
    private static boolean holdsReports(Path checkpoint) throws IOException {
        try {
            return !CheckpointWriter.read(checkpoint).state().reports().isEmpty();
        } catch (java.nio.file.NoSuchFileException e) {
            return false; // not written yet, or moved into place as the run ended
        }
    }

    /**
     * A run that fails while writing its outputs, after training (a full disk at the largest file, from
     * {@link AtomicFiles#FAIL_PROPERTY}), leaves the previous run's files byte for byte and no staging
     * area. The failing run has another seed, so any file it had replaced would differ.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"energy", "conditional", "chain", "segment"})
    void aFailureWritingTheOutputsLeavesThePreviousRun(String family) throws IOException {
        Path out = dir.resolve(family + "-previous");
        CliRun.of(args(family, out, 1)).assertSucceeded();
        Map<String, byte[]> before = files(out);
        long largest = before.values().stream().mapToLong(v -> v.length).max().orElseThrow();
        System.setProperty(AtomicFiles.FAIL_PROPERTY, Long.toString(largest - 1));
        CliRun r;
        try {
            r = CliRun.of(args(family, out, 2));
        } finally {
            System.clearProperty(AtomicFiles.FAIL_PROPERTY);
        }
        r.assertFailed(1, "No space left on device writing " + out.resolve(".staging"));
        assertEquals(1, r.err().lines().filter(l -> !l.isBlank()).count(), r.err());
        assertSameFiles(before, files(out), family + " after a failed run");
        assertFalse(Files.exists(out.resolve(".staging")), "no staging area left");
    }
}
