package org.ebm4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.ebm4j.data.CsvReader;
import org.ebm4j.data.Dataset;
import org.ebm4j.hopfield.HopfieldNetwork;
import org.ebm4j.hopfield.HopfieldOptions;
import org.ebm4j.hopfield.LearningRule;
import org.ebm4j.io.ModelFile;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Backends;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HopfieldCommandTest {
    private static final int N = 64;

    @TempDir
    Path dir;

    /** {@code rows} random 0/1 patterns of {@link #N} units, written as CSV; returns them as -1/+1. */
    static int[][] writePatterns(Path file, int rows, long seed) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        int[][] p = new int[rows][N];
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < N; j++) {
                p[i][j] = r.nextBoolean() ? 1 : -1;
                sb.append(j > 0 ? "," : "").append(p[i][j] > 0 ? 1 : 0);
            }
            sb.append('\n');
        }
        Files.writeString(file, sb);
        return p;
    }

    private static void writeSpins(Path file, int[][] rows) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int[] row : rows) {
            for (int j = 0; j < row.length; j++) {
                sb.append(j > 0 ? "," : "").append(row[j]);
            }
            sb.append('\n');
        }
        Files.writeString(file, sb);
    }

    @ParameterizedTest
    @CsvSource({"hebb", "storkey", "pseudo-inverse"})
    void theLibraryFitWithTheCommandsRuleGivesTheSameNetwork(String rule) throws Exception {
        Path patterns = dir.resolve("p.csv");
        writePatterns(patterns, 5, 3);
        Path net = dir.resolve("net.ebm");
        CliRun store = CliRun.of("hopfield", "store", "--patterns", patterns.toString(), "--out", net.toString(),
                "--rule", rule, "--backend", "cpu");
        assertEquals(0, store.exit(), store.toString());
        Dataset data = new CsvReader().read(patterns);
        Backend cpu = Backends.select("cpu").backend();
        try (HopfieldNetwork cli = HopfieldNetwork.load(net, cpu);
             HopfieldNetwork library = HopfieldNetwork.fit(cpu, data,
                     HopfieldOptions.builder().rule(LearningRule.parse(rule)).build())) {
            assertArrayEquals(library.couplings().weightsToHost(), cli.couplings().weightsToHost(), rule);
            assertArrayEquals(library.couplings().biasToHost(), cli.couplings().biasToHost(), rule);
            assertEquals(library.provenance().options(), cli.provenance().options());
            assertEquals(library.provenance().get("data.sha256"), cli.provenance().get("data.sha256"));
        } finally {
            cpu.close();
        }
    }

    @Test
    void storeThenRecallFromTheNetworkFile() throws Exception {
        Path patterns = dir.resolve("p.csv");
        int[][] p = writePatterns(patterns, 4, 1);
        Path net = dir.resolve("net.ebm");
        CliRun store = CliRun.of("hopfield", "store", "--patterns", patterns.toString(), "--out", net.toString(),
                "--rule", "storkey", "--json");
        assertEquals(0, store.exit(), store.toString());
        JsonNode stored = store.last("stored");
        assertEquals(4, stored.get("fixed_points").asInt());
        assertEquals(N, stored.get("units").asInt());

        int[][] cues = new int[4][];
        for (int i = 0; i < 4; i++) {
            cues[i] = p[i].clone();
            for (int k = 0; k < 5; k++) {
                cues[i][k * 7] = -cues[i][k * 7];
            }
        }
        Path cueFile = dir.resolve("cues.csv");
        writeSpins(cueFile, cues);
        Path recalled = dir.resolve("r.csv");
        CliRun recall = CliRun.of("hopfield", "recall", "--model", net.toString(), "--cues", cueFile.toString(), "--out",
                recalled.toString(), "--json");
        assertEquals(0, recall.exit(), recall.toString());
        assertEquals(4, recall.events("cue").size());
        assertEquals(4, recall.last("summary").get("fixed_points").asInt());
        List<String> lines = Files.readAllLines(recalled);
        assertEquals(4, lines.size());
        for (int i = 0; i < 4; i++) {
            String[] f = lines.get(i).split(",");
            for (int j = 0; j < N; j++) {
                assertEquals(p[i][j], Integer.parseInt(f[j]), "row " + i + " unit " + j);
            }
        }
    }

    @Test
    void addingPatternsToAStoredNetworkCountsThemAll() throws Exception {
        Path a = dir.resolve("a.csv");
        Path b = dir.resolve("b.csv");
        writePatterns(a, 2, 2);
        writePatterns(b, 2, 3);
        Path net = dir.resolve("net.ebm");
        assertEquals(0, CliRun.of("hopfield", "store", "--patterns", a.toString(), "--out", net.toString(), "--rule", "hebb").exit());
        CliRun more = CliRun.of("hopfield", "store", "--patterns", b.toString(), "--add-to", net.toString(), "--out",
                net.toString(), "--rule", "hebb", "--json");
        assertEquals(0, more.exit(), more.toString());
        assertEquals(4, more.last("stored").get("total_patterns").asInt());
        ModelFile saved = ModelFile.read(net);
        assertEquals("4", saved.metadata().get("hopfield.patterns"));
        assertEquals("hebb", saved.metadata().get("hopfield.rule"));
        assertEquals("hebb", saved.metadata().get("provenance.added.1.rule"));
    }

    /** Networks written by earlier versions (CSV network files) still recall and take more patterns. */
    @Test
    void theCsvNetworkFileOfEarlierVersionsIsStillRead() throws Exception {
        Path old = dir.resolve("old.csv");
        // Hebb's rule for the one pattern (+1, -1, +1, -1): w_ij = xi_i xi_j / 4 off the diagonal.
        Files.writeString(old, "# ebm4j network kind=hopfield values=spin rule=hebb patterns=1 units=4\n"
                + "0,-0.25,0.25,-0.25\n-0.25,0,-0.25,0.25\n0.25,-0.25,0,-0.25\n-0.25,0.25,-0.25,0\n0,0,0,0\n");
        Path cue = dir.resolve("cue.csv");
        Files.writeString(cue, "1,1,1,-1\n");
        Path out = dir.resolve("r.csv");
        CliRun run = CliRun.of("hopfield", "recall", "--model", old.toString(), "--cues", cue.toString(), "--out",
                out.toString(), "--json");
        assertEquals(0, run.exit(), run.toString());
        assertEquals("1,-1,1,-1", Files.readAllLines(out).get(0));
        Path more = dir.resolve("more.csv");
        Files.writeString(more, "1,1,-1,-1\n");
        Path net = dir.resolve("net.ebm");
        CliRun add = CliRun.of("hopfield", "store", "--patterns", more.toString(), "--add-to", old.toString(), "--rule",
                "hebb", "--out", net.toString(), "--json");
        assertEquals(0, add.exit(), add.toString());
        assertEquals(2, add.last("stored").get("total_patterns").asInt());
    }

    @ParameterizedTest
    @CsvSource({"async", "sync", "anneal"})
    void recallsCorruptedPatternsWithEveryDynamics(String dynamics) throws Exception {
        Path patterns = dir.resolve("p.csv");
        writePatterns(patterns, 3, 4);
        CliRun run = CliRun.of("hopfield", "recall", "--patterns", patterns.toString(), "--flip", "0.1", "--dynamics",
                dynamics, "--anneal-sweeps", "30", "--t-start", "0.3", "--json");
        assertEquals(0, run.exit(), run.toString());
        JsonNode s = run.last("summary");
        assertEquals(1.0, s.get("exact_fraction").asDouble(), 0.0, run.toString());
        assertEquals(dynamics, s.get("dynamics").asText());
    }

    @Test
    void halfMaskedCuesWithTheKnownHalfClampedAndAPicture() throws Exception {
        Path patterns = dir.resolve("p.csv");
        writePatterns(patterns, 3, 5);
        Path png = dir.resolve("out/recall.png");
        CliRun run = CliRun.of("hopfield", "recall", "--patterns", patterns.toString(), "--rule", "pseudo-inverse",
                "--mask", "bottom", "--clamp", "known", "--image-width", "8", "--png", png.toString(), "--scale", "2",
                "--json");
        assertEquals(0, run.exit(), run.toString());
        assertEquals(1.0, run.last("summary").get("exact_fraction").asDouble(), 0.0, run.toString());
        BufferedImage img = ImageIO.read(png.toFile());
        // 3 grid rows (cue, recalled, original) x 3 columns of 8x8 images at scale 2, 2-pixel gutters.
        assertEquals(3 * (16 + 2) + 2, img.getWidth());
        assertEquals(3 * (16 + 2) + 2, img.getHeight());
    }

    @Test
    void capacityTableHasOneRowPerRuleAndLoad() {
        CliRun run = CliRun.of("hopfield", "capacity", "--units", "100", "--loads", "0.05,0.4", "--trials", "1",
                "--rules", "hebb,storkey", "--json");
        assertEquals(0, run.exit(), run.toString());
        List<JsonNode> rows = run.events("capacity");
        assertEquals(4, rows.size());
        assertEquals("hebb", rows.get(0).get("rule").asText());
        assertEquals(5, rows.get(0).get("patterns").asInt());
        assertEquals(1.0, rows.get(0).get("exact_fraction").asDouble(), 0.0);
        assertTrue(rows.get(1).get("exact_fraction").asDouble() < 0.5, "Hebb at load 0.4: " + rows.get(1));
        CliRun human = CliRun.of("hopfield", "capacity", "--units", "50", "--loads", "0.1", "--trials", "1");
        assertEquals(0, human.exit(), human.toString());
        assertTrue(human.out().contains("exact fraction"), human.out());
    }

    /**
     * Capacity takes the recall commands' annealing: cold (T from 0.2 to 0.05) and short, at load 0.05 a
     * Hebbian pattern's fields are about 1 +- 0.22, so a stochastic unit flips against one with probability
     * about exp(-2 * 0.78 / 0.2) = 4e-4 per update, and the asynchronous descent after the schedule undoes
     * any flip: every cue (10% of its bits flipped) comes back exactly.
     */
    @Test
    void capacityRecallsByAnnealingToo() {
        CliRun run = CliRun.of("hopfield", "capacity", "--units", "100", "--loads", "0.05", "--trials", "1",
                "--rules", "hebb", "--dynamics", "anneal", "--t-start", "0.2", "--t-end", "0.05",
                "--anneal-sweeps", "5", "--json");
        assertEquals(0, run.exit(), run.toString());
        assertEquals("anneal", run.last("start").get("dynamics").asText(), run.toString());
        List<JsonNode> rows = run.events("capacity");
        assertEquals(1, rows.size());
        assertEquals(1.0, rows.get(0).get("exact_fraction").asDouble(), 0.0, rows.get(0).toString());
    }

    @Test
    void mnistDemoRecallsDigitsFromTheEmbeddedSubset() throws Exception {
        Path png = dir.resolve("mnist.png");
        CliRun run = CliRun.of("hopfield", "mnist", "--digits", "0,1,7", "--out", png.toString(), "--json");
        assertEquals(0, run.exit(), run.toString());
        assertEquals(3, run.events("digit").size());
        assertEquals(3, run.last("summary").get("exact").asInt(), run.toString());
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(3 * (28 * 3 + 2) + 2, img.getWidth());
        CliRun masked = CliRun.of("hopfield", "mnist", "--digits", "3,8", "--corrupt", "mask", "--mask", "left", "--png",
                dir.resolve("m.png").toString(), "--json");
        assertTrue(masked.err().contains("warning: --png is deprecated"), masked.err());
        assertEquals(0, masked.exit(), masked.toString());
        assertEquals("mask left", masked.last("summary").get("corrupt").asText());
    }

    /** store, then recall --flip from the network file alone: the file keeps the patterns. */
    @Test
    void recallFromTheStoredFileAloneCorruptsItsPatterns() throws Exception {
        Path patterns = dir.resolve("p.csv");
        writePatterns(patterns, 3, 4);
        Path net = dir.resolve("net.ebm");
        CliRun.of("hopfield", "store", "--patterns", patterns.toString(), "--out", net.toString()).assertSucceeded();
        CliRun run = CliRun.of("hopfield", "recall", "--model", net.toString(), "--flip", "0.1", "--json");
        JsonNode s = run.assertSucceeded().last("summary");
        assertEquals(3, s.get("cues").asInt());
        // The patterns and cues of recallsCorruptedPatternsWithEveryDynamics, which --patterns recalls exactly.
        assertEquals(1.0, s.get("exact_fraction").asDouble(), 0.0, run.toString());
    }


    @Test
    void badDataIsAFailureNamingTheFileRowAndColumn() throws Exception {
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "1,0,1\n0,2,1\n");
        CliRun run = CliRun.of("hopfield", "store", "--patterns", bad.toString(), "--out", dir.resolve("n.csv").toString());
        run.assertFailed(1, "data row 2, column 2 is 2.0; binary rows must be all 0/1 or all -1/+1");
        Path cues = dir.resolve("c.csv");
        Files.writeString(cues, "1,0\n");
        Path p = dir.resolve("p.csv");
        writePatterns(p, 2, 7);
        CliRun wide = CliRun.of("hopfield", "recall", "--patterns", p.toString(), "--cues", cues.toString());
        wide.assertFailed(2, "--cues rows have 2 values but the network has 64 units");
    }
}
