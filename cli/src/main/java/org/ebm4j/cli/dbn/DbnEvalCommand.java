package org.ebm4j.cli.dbn;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ebm4j.cli.ModelFileCommand;
import org.ebm4j.cli.FlagChecks;
import org.ebm4j.data.Dataset;
import org.ebm4j.dbn.ClassificationResult;
import org.ebm4j.dbn.Dbn;
import org.ebm4j.tensor.Backend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ebm dbn eval}: test error and per-class confusion counts of a fine-tuned DBN. */
@Command(name = "eval", sortOptions = false,
        description = {"Evaluate a fine-tuned DBN: test error and per-class confusion counts (rows: true class, "
                + "columns: predicted class)."},
        footer = "Example: ebm dbn eval --model dbn-run/model.ebm --data data/mnist")
public final class DbnEvalCommand extends ModelFileCommand {
    @Mixin
    LabelledData data;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "1000", description = "Rows per forward pass (default: ${DEFAULT-VALUE}).")
    int batch;

    @Override
    public Integer call() throws IOException {
        data.validate(spec);
        FlagChecks.positive(spec, "--batch", batch);
        Dataset test = data.load(spec)[1];
        ClassificationResult r;
        try (Backend backend = openBackend(); Dbn dbn = Dbn.load(model.path(), backend)) {
            if (!dbn.isFineTuned()) {
                throw FlagChecks.error(spec, "--model " + model.path() + " has no fine-tuned classifier (trained with "
                        + "--finetune-epochs 0?); eval needs one");
            }
            r = dbn.evaluate(test, batch);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", model.path().toString());
        m.put("data", data.source());
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
        output().result("evaluation", m);
        return 0;
    }
}
