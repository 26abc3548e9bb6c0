package org.ebm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.ebm4j.boltzmann.BoltzmannOptions;
import org.ebm4j.conditional.ConditionalOptions;
import org.ebm4j.dbm.DbmOptions;
import org.ebm4j.dbn.DbnOptions;
import org.ebm4j.energy.EnergyOptions;
import org.ebm4j.hopfield.HopfieldOptions;
import org.ebm4j.io.ModelFile;
import org.ebm4j.io.Provenance;
import org.ebm4j.rbm.RbmOptions;
import org.ebm4j.segmentation.SegmentationModel;
import org.ebm4j.segmentation.SegmentationOptions;
import org.ebm4j.structured.ChainModel;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every training command's defaults are its family's library defaults: each command runs on tiny data with
 * only the flags the data and the run's size need, and every option it was not given, as the saved model's
 * provenance records it, equals the library's default for that family (or the default the command documents
 * instead, said in its row).
 */
class CommandDefaultsTest {
    @TempDir
    Path dir;

    /**
     * A command line (OUT stands for where it saves, DBM for the model PREPARE_DBM saves, PATTERNS for a
     * CSV of two 6-unit patterns), the library's defaults of its family as
     * {@code toMap()} writes them, and the option keys the command line (or the data) sets.
     */
    static Stream<Arguments> commands() {
        return Stream.of(
                row("rbm train --limit 200 --holdout 100 --epochs 1 --hidden 8 --samples 4 --sample-steps 1",
                        RbmOptions.builder().build().toMap(), "epochs", "hidden", "holdout"),
                row("dbn train --layers 8 --limit 200 --holdout 100 --pretrain-epochs 1 --finetune-epochs 1"
                        + " --samples 2 --sample-steps 1", DbnOptions.builder().hiddenLayers(8).build().toMap(),
                        "hidden_layers", "holdout", "pretrain_epochs", "finetune_epochs"),
                row("bm train --side 3 --hidden 2 --epochs 2 --samples 20",
                        BoltzmannOptions.builder().build().toMap(), "hidden", "epochs", "visible", "samples"),
                row("dbm train --layers 4,3 --limit 100 --pretrain-epochs 1 --epochs 1 --samples 4 --sample-steps 1",
                        DbmOptions.builder().build().toMap(), "hidden", "pretrain_epochs", "epochs"),
                // The four-squares demo presets its step, leapfrog steps, trajectories and weight scale (the
                // command's help lists them), so those count as given.
                row("energy train --data four-squares --points 100 --iterations 5 --layers 4:softplus --fantasies 4"
                        + " --fantasy-warmup 5 --fantasy-draws 2", EnergyOptions.builder().build().toMap(),
                        "updates", "layers", "learning_rate", "leapfrog_steps", "trajectories", "weight_scale"),
                row("conditional train --limit 120 --held-out 20 --epochs 1 --layers 4:softplus",
                        ConditionalOptions.builder().build().toMap(), "epochs", "layers"),
                row("segment train --strings 8 --held-out 4 --epochs 1 --layers 4:softplus",
                        withGraph(SegmentationModel.trainingOptions().build().toMap()), "epochs", "layers"),
                row("chain train --limit 300 --held-out 100 --sequences 8 --test-sequences 4 --length 3 --epochs 1"
                        + " --layers 4:softplus", ChainModel.trainingOptions().build().toMap(), "epochs", "layers"),
                // Fine-tunes the DBM that PREPARE_DBM trains, so its hidden layers are that model's and nothing is
                // pretrained; the command's learning rate is a tenth of the DBN's (its LEARNING_RATE says why).
                row(PREPARE_DBM, "dbm classify --model DBM --limit 100 --holdout 50 --epochs 1",
                        RUN_MODEL, DbnOptions.builder().hiddenLayers(4, 3).pretrainEpochs(0).finetuneLearningRate(0.01)
                                .build().toMap(), "finetune_epochs"),
                row(null, "hopfield store --patterns PATTERNS", "net.ebm", HopfieldOptions.builder().build().toMap()));
    }

    /** {@code training} with the default segmentation graph's options, as a recognizer's provenance holds them. */
    private static Map<String, String> withGraph(Map<String, String> training) {
        Map<String, String> all = new TreeMap<>(training);
        SegmentationOptions.builder().build().toMap().forEach((k, v) -> all.put("graph." + k, v));
        return all;
    }

    /** A command that writes the run directory {@code OUT}, with nothing run before it. */
    private static Arguments row(String line, Map<String, String> defaults, String... given) {
        return row(null, line, RUN_MODEL, defaults, given);
    }

    /**
     * {@code prepare} (or null) runs first, writing {@code PREPARED}; {@code line} then saves its model at
     * {@code saved} (relative to the test's directory; a run directory's is {@link #RUN_MODEL}).
     */
    private static Arguments row(String prepare, String line, String saved, Map<String, String> defaults,
                                 String... given) {
        return Arguments.of(line, prepare, saved, defaults, Set.of(given));
    }

    /** Where a command that writes a run directory ({@code --out OUT}) saves its model. */
    private static final String RUN_MODEL = "run/model.ebm";

    /** A small DBM for {@code dbm classify} to fine-tune. */
    private static final String PREPARE_DBM = "dbm train --layers 4,3 --limit 100 --pretrain-epochs 1 --epochs 1"
            + " --samples 4 --sample-steps 1 --out PREPARED";

    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    void everyOptionNotGivenIsTheLibrarysDefault(String line, String prepare, String saved,
                                                 Map<String, String> defaults, Set<String> given) throws Exception {
        Path model = dir.resolve(saved);
        Path patterns = Files.writeString(dir.resolve("patterns.csv"), "1,0,1,0,1,0\n0,0,1,1,0,1\n");
        Path prepared = dir.resolve("prepared");
        // A run directory's command names the directory as --out, any other the model file.
        Map<String, String> places = Map.of("OUT", saved.equals(RUN_MODEL) ? model.getParent().toString()
                : model.toString(), "PREPARED", prepared.toString(), "DBM", prepared.resolve("model.ebm").toString(),
                "PATTERNS", patterns.toString());
        if (prepare != null) {
            CliRun.of(CliRun.words(prepare + " --backend cpu -q", places)).assertSucceeded();
        }
        CliRun.of(CliRun.words(line + " --backend cpu --out OUT -q", places)).assertSucceeded();
        Map<String, String> recorded = Provenance.fromMetadata(ModelFile.read(model).metadata()).options();
        assertFalse(recorded.isEmpty(), line + " recorded no options");
        Map<String, String> expected = new TreeMap<>(defaults);
        Map<String, String> found = new TreeMap<>(recorded);
        expected.keySet().removeAll(given);
        found.keySet().removeAll(given);
        assertEquals(expected, found, line + ": the options not given must be the library's defaults");
    }
}
