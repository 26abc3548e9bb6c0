package org.ebm4j.cli.dbn;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.ebm4j.cli.ModelFileCommand;
import org.ebm4j.cli.FlagChecks;
import org.ebm4j.data.Dataset;
import org.ebm4j.dbn.ClassificationResult;
import org.ebm4j.dbm.DbmClassifier;
import org.ebm4j.dbn.Dbn;
import org.ebm4j.dbn.DbnModelFile;
import org.ebm4j.io.ModelFile;
import org.ebm4j.tensor.Backend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ebm dbn eval}: test error and per-class confusion counts of a fine-tuned DBN (or of a DBM
 * classifier, {@code ebm dbm classify}'s model); on a CSV file of unlabelled rows (samples of a
 * generative model), the histogram of the classes it assigns them.
 */
@Command(name = "eval", sortOptions = false,
        description = {"Evaluate a fine-tuned DBN or a DBM classifier (ebm dbm classify): test error and per-class "
                + "confusion counts (rows: true class, columns: predicted class).",
            "--data: MNIST as for ebm dbn train, or a CSV file of unlabelled rows (e.g. ebm rbm sample --samples-csv): "
                    + "then the count of rows assigned to each class, how many classes occur and the entropy of "
                    + "that histogram."},
        footer = "Example: ebm dbn eval --model dbn-run/model.ebm --data data/mnist")
public final class DbnEvalCommand extends ModelFileCommand {
    @Mixin
    LabelledData data = LabelledData.orUnlabelledRows();

    @Option(names = "--batch", paramLabel = "N", defaultValue = "1000", description = "Rows per forward pass (default: ${DEFAULT-VALUE}).")
    int batch;

    /** A model read from the file that classifies rows: a fine-tuned DBN or a DBM classifier. */
    private record Judge(BiFunction<Dataset, Integer, ClassificationResult> evaluate, Function<Dataset, int[]> predict,
                         int classes, Runnable release) implements AutoCloseable {
        @Override
        public void close() {
            release.run();
        }
    }

    @Override
    public Integer call() throws IOException {
        data.validate(spec);
        FlagChecks.positive(spec, "--batch", batch);
        boolean unlabelled = data.isUnlabelledRows();
        Dataset rows = unlabelled ? data.loadRows() : data.load(spec)[1];
        String source = model.path().toString();
        ModelFile file = ModelFile.read(model.path());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", source);
        m.put("data", data.source());
        try (Backend backend = openBackend(); Judge judge = judge(file, source, backend)) {
            if (unlabelled) {
                histogram(judge.predict().apply(rows), judge.classes(), m);
                output().result("classes", m);
                return 0;
            }
            ClassificationResult r = judge.evaluate().apply(rows, batch);
            m.put("test_rows", r.examples());
            m.put("errors", r.errors());
            m.put("test_error", r.errorRate());
            List<List<Long>> conf = new ArrayList<>();
            for (long[] row : r.confusion()) {
                List<Long> l = new ArrayList<>();
                for (long v : row) {
                    l.add(v);
                }
                conf.add(l);
            }
            m.put("confusion", conf);
        }
        output().result("evaluation", m);
        return 0;
    }

    private Judge judge(ModelFile file, String source, Backend backend) throws IOException {
        if (DbmClassifier.MODEL_KIND.equals(file.metadata().get("model"))) {
            DbmClassifier c = DbmClassifier.of(file, source, backend);
            return new Judge(c::evaluate, c::predict, c.network().classes(), c::close);
        }
        Dbn dbn = Dbn.of(backend, DbnModelFile.from(file, source));
        if (!dbn.isFineTuned()) {
            dbn.close();
            throw FlagChecks.error(spec, "--model " + source + " has no fine-tuned classifier (trained with "
                    + "--finetune-epochs 0?); eval needs one");
        }
        return new Judge(dbn::evaluate, dbn::predict, dbn.classifier().classes(), dbn::close);
    }

    /**
     * Puts the class histogram of {@code predicted} into {@code m}: {@code rows}, {@code counts} (one per
     * class), {@code classes_present} (classes with at least one row) and {@code entropy_bits}
     * ({@code -sum p log2 p} of the histogram: 0 when every row has one class, {@code log2(classes)} when
     * the classes are equally frequent).
     */
    static void histogram(int[] predicted, int classes, Map<String, Object> m) {
        long[] counts = new long[classes];
        for (int c : predicted) {
            counts[c]++;
        }
        int present = 0;
        double entropy = 0;
        List<Long> list = new ArrayList<>();
        for (long c : counts) {
            list.add(c);
            if (c > 0) {
                present++;
                double p = (double) c / predicted.length;
                entropy -= p * Math.log(p) / Math.log(2);
            }
        }
        m.put("rows", predicted.length);
        m.put("counts", list);
        m.put("classes_present", present);
        m.put("entropy_bits", entropy);
    }
}
