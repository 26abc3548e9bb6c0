package org.ebm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End-to-end runs of {@code ebm hmc sample} and {@code ebm ebm train} on the CPU backend, kept small. */
class HmcAndEbmCommandsTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static List<JsonNode> run(String... args) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Ebm.run(new PrintWriter(out), new PrintWriter(err), args);
        assertEquals(0, code, "stderr: " + err);
        List<JsonNode> lines = new java.util.ArrayList<>();
        for (String line : out.toString().split("\n")) {
            if (!line.isBlank()) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }

    @Test
    void hmcSampleReportsDiagnosticsForAGaussian(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("draws.csv");
        Path png = dir.resolve("draws.png");
        List<JsonNode> out = run("hmc", "sample", "--backend", "cpu", "--dim", "6", "--chains", "4", "--warmup", "200",
                "--draws", "300", "--seed", "3", "--json", "--csv", csv.toString(), "--png", png.toString());
        assertEquals(1, out.size());
        JsonNode r = out.get(0);
        assertEquals("done", r.get("event").asText());
        assertEquals("hmc sample", r.get("command").asText());
        assertEquals(6, r.get("rhat").size());
        assertTrue(r.get("maxRhat").asDouble() < 1.05, r.toString());
        assertTrue(r.get("minEss").asDouble() > 100, r.toString());
        assertEquals(0, r.get("divergences").asLong());
        // 12 estimates (6 means, 6 variances): beyond 5 MCSE would be a bug, not chance.
        assertTrue(r.get("maxMeanErrorInMcse").asDouble() < 5, r.toString());
        assertTrue(r.get("maxVarianceErrorInMcse").asDouble() < 5, r.toString());
        assertEquals(1 + 4 * 300, Files.readAllLines(csv).size());
        assertEquals(640, ImageIO.read(png.toFile()).getWidth());
    }

    @Test
    void anAbsurdFixedStepIsReportedDivergent() throws Exception {
        JsonNode r = run("hmc", "sample", "--backend", "cpu", "--dim", "4", "--chains", "2", "--warmup", "0", "--draws",
                "5", "--no-adapt", "--step-size", "1000", "--jitter", "0", "--json", "--quiet").get(0);
        assertEquals(10, r.get("divergences").asLong());
        assertEquals(0.0, r.get("acceptedFraction").asDouble());
    }

    @Test
    void ebmTrainSavesAModelThatHmcSampleCanUse(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("squares.ebm");
        Path png = dir.resolve("squares.png");
        List<JsonNode> out = run("ebm", "train", "--backend", "cpu", "--demo", "four-squares", "--points", "200",
                "--iterations", "20", "--batch", "50", "--layers", "8:softplus", "--fantasies", "40", "--fantasy-warmup",
                "20", "--fantasy-draws", "5", "--seed", "2", "--json", "--save", model.toString(), "--png", png.toString());
        JsonNode last = out.get(out.size() - 1);
        assertEquals("progress", out.get(0).get("event").asText());
        assertEquals("done", last.get("event").asText());
        assertEquals("ebm train", last.get("command").asText());
        double inside = last.get("fantasyFractionInsideSquares").asDouble();
        assertTrue(inside >= 0 && inside <= 1, last.toString());
        assertEquals(1.0, last.get("dataFractionInsideSquares").asDouble());
        assertTrue(Files.size(model) > 0);
        assertEquals(640, ImageIO.read(png.toFile()).getHeight());
        JsonNode s = run("hmc", "sample", "--backend", "cpu", "--model", model.toString(), "--chains", "4", "--warmup",
                "30", "--draws", "20", "--json", "--png", dir.resolve("model.png").toString()).get(0);
        assertTrue(s.get("target").asText().startsWith("model "), s.toString());
        assertEquals(2, s.get("dim").asInt());
    }

    @Test
    void ebmTrainOnACsvWithAnotherLoss(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("data.csv");
        StringBuilder sb = new StringBuilder("a,b,c\n");
        for (int i = 0; i < 60; i++) {
            sb.append(Math.sin(i)).append(',').append(Math.cos(i)).append(',').append(0.1 * (i % 7)).append('\n');
        }
        Files.writeString(csv, sb.toString());
        JsonNode last = run("ebm", "train", "--backend", "cpu", "--data", csv.toString(), "--loss", "hinge",
                "--negatives", "persistent", "--negatives-per-example", "2", "--iterations", "10", "--batch", "20",
                "--layers", "6:fas", "--fantasies", "10", "--fantasy-warmup", "10", "--fantasy-draws", "4", "--json",
                "--quiet").get(0);
        assertEquals(60, last.get("points").asInt());
        assertEquals(3, last.get("fantasyMean").size());
    }

    @Test
    void clusterGridReportsTheMissingCell() throws Exception {
        List<JsonNode> out = run("ebm", "train", "--backend", "cpu", "--demo", "cluster-grid", "--points", "240",
                "--iterations", "10", "--batch", "60", "--experts", "4", "--fantasies", "30", "--fantasy-warmup", "10",
                "--fantasy-draws", "4", "--json", "--quiet");
        JsonNode r = out.get(0);
        assertEquals("unigauss", r.get("model").asText());
        assertEquals(25, r.get("fantasyCountsPerCell").size());
        assertTrue(r.has("missingCellShare"), r.toString());
    }
}
