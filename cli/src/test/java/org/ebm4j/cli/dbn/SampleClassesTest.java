package org.ebm4j.cli.dbn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ebm4j.cli.CliRun;
import org.ebm4j.data.CsvReader;
import org.ebm4j.data.Dataset;
import org.ebm4j.dbn.Dbn;
import org.ebm4j.rbm.Rbm;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Backends;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Judging samples by class: {@code ebm rbm sample --samples-csv} writes the samples as rows, and
 * {@code ebm dbn eval} on such unlabelled rows prints the histogram of the classes a classifier gives them.
 */
class SampleClassesTest {
    @Test
    void histogramCountsClassesAndTheirEntropyInBits() {
        Map<String, Object> m = new LinkedHashMap<>();
        DbnEvalCommand.histogram(new int[] {0, 0, 2, 2}, 3, m);
        assertEquals(List.of(2L, 0L, 2L), m.get("counts"));
        assertEquals(2, m.get("classes_present"));
        assertEquals(1.0, (double) m.get("entropy_bits"), 1e-12);
        DbnEvalCommand.histogram(new int[] {4, 4, 4}, 10, m);
        assertEquals(1, m.get("classes_present"));
        assertEquals(0.0, (double) m.get("entropy_bits"), 0);
        int[] uniform = new int[50];
        for (int i = 0; i < uniform.length; i++) {
            uniform[i] = i % 10;
        }
        DbnEvalCommand.histogram(uniform, 10, m);
        assertEquals(10, m.get("classes_present"));
        assertEquals(Math.log(10) / Math.log(2), (double) m.get("entropy_bits"), 1e-12);
    }

    @Test
    void samplesWrittenAsRowsAreJudgedAsTheLibraryClassifiesThem(@TempDir Path dir) throws Exception {
        Path rbm = dir.resolve("rbm");
        CliRun.of("rbm", "train", "--limit", "300", "--holdout", "50", "--hidden", "8", "--epochs", "1", "--samples",
                "4", "--sample-steps", "2", "--backend", "cpu", "--out", rbm.toString(), "-q").assertSucceeded();
        Path dbn = dir.resolve("dbn");
        CliRun.of("dbn", "train", "--layers", "8", "--limit", "300", "--holdout", "100", "--pretrain-epochs", "1",
                "--finetune-epochs", "2", "--samples", "2", "--sample-steps", "1", "--backend", "cpu", "--out",
                dbn.toString(), "-q").assertSucceeded();
        Path csv = dir.resolve("s.csv");
        JsonNode samples = CliRun.of("rbm", "sample", "--model", rbm.resolve("model.ebm").toString(), "--chains", "7",
                "--steps", "3", "--seed", "2", "--out", dir.resolve("s.png").toString(), "--samples-csv", csv.toString(),
                "--backend", "cpu", "--json").assertSucceeded().last("samples");
        assertEquals(csv.toString(), samples.get("samples_csv").asText(), "the samples event names the rows' file");
        // A --samples-csv that cannot be written is a usage error before any sampling: no picture either.
        Path png = dir.resolve("refused.png");
        CliRun.of("rbm", "sample", "--model", rbm.resolve("model.ebm").toString(), "--chains", "7", "--steps", "3",
                "--out", png.toString(), "--samples-csv", dir.toString(), "--backend", "cpu", "-q")
                .assertFailed(2, "--samples-csv " + dir + " is a directory, expected a file");
        assertFalse(Files.exists(png));
        Dataset rows = new CsvReader().read(csv);
        JsonNode classes = CliRun.of("dbn", "eval", "--model", dbn.resolve("model.ebm").toString(), "--data",
                csv.toString(), "--backend", "cpu", "--json").assertSucceeded().last("classes");
        assertEquals(7, classes.get("rows").asInt());
        try (Backend b = Backends.select("cpu").backend(); Rbm r = Rbm.load(rbm.resolve("model.ebm"), b);
             Dbn d = Dbn.load(dbn.resolve("model.ebm"), b)) {
            // The rows are the samples the library draws with the same seed, as written.
            Dataset drawn = r.sample(7, 3, 2);
            assertEquals(7, rows.rows());
            assertEquals(784, rows.cols());
            for (int i = 0; i < rows.values().length; i++) {
                assertEquals(drawn.values()[i], rows.values()[i], Math.ulp(drawn.values()[i]), "value " + i);
            }
            long[] counts = new long[10];
            for (int c : d.predict(rows)) {
                counts[c]++;
            }
            for (int c = 0; c < 10; c++) {
                assertEquals(counts[c], classes.get("counts").get(c).asLong(), "class " + c);
            }
        }
        // A model without a classifier cannot judge rows.
        CliRun.of("dbn", "eval", "--model", rbm.resolve("model.ebm").toString(), "--data", csv.toString(),
                "--backend", "cpu").assertFailed(1, "holds a 'rbm' model, expected a DBN ('dbn')");
    }
}
