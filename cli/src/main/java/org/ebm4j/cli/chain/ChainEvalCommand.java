package org.ebm4j.cli.chain;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ebm4j.cli.ModelFileCommand;
import org.ebm4j.structured.ChainModel;
import org.ebm4j.structured.Sequences;
import org.ebm4j.tensor.Backend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code ebm chain eval}: a saved chain's per-digit and whole-sequence accuracy of independent decoding and
 * of Viterbi on held-out grammar sequences ({@link ChainModel#evaluate}), drawn as {@code ebm chain train}
 * draws its test sequences.
 */
@Command(name = "eval", sortOptions = false,
        description = {"Per-digit and whole-sequence accuracy of a saved chain factor graph, independent decoding and"
                + " Viterbi, on held-out MNIST digit sequences from the first-order grammar of chain train.",
                "With the --data, --limit, --held-out, --test-sequences, --length, --follow and --seed of a chain train"
                        + " run, the sequences are that run's test sequences."},
        footer = "Example: ebm chain eval --model chain-run/model.ebm --limit 6000 --held-out 1000 --test-sequences 500")
public final class ChainEvalCommand extends ModelFileCommand {
    @Mixin
    GrammarFlags grammar;

    @Override
    public Integer call() throws IOException {
        long start = System.nanoTime();
        Sequences test = grammar.test(spec);
        try (Backend backend = openBackend(); ChainModel m = ChainModel.load(model.path(), backend)) {
            Map<String, Object> r = new LinkedHashMap<>();
            grammar.report(m, test, r);
            r.put("seconds", secondsSince(start));
            r.put("model", model.path().toString());
            output().result("done", r);
        }
        return 0;
    }
}
