package org.ebm4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.ebm4j.boltzmann.BoltzmannOptions;
import org.ebm4j.conditional.ConditionalOptions;
import org.ebm4j.dbm.DbmOptions;
import org.ebm4j.dbn.DbnOptions;
import org.ebm4j.energy.EnergyOptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The settings {@link OptionTable.Fields#trainingSafety()} adds: model files written before they existed
 * (whose options lack the three keys) read back with momentum SGD, no early stopping and 3 rollbacks, and
 * set values survive the map form.
 */
class TrainingSafetyOptionsTest {

    static Stream<Arguments> families() {
        return Stream.of(
                family(BoltzmannOptions.builder().hidden(3).build(), BoltzmannOptions.builder().optimizer(Optimizer.ADAM)
                        .patience(4).maxRollbacks(1).build(), BoltzmannOptions::fromMap),
                family(DbnOptions.builder().hiddenLayers(5, 4).build(), DbnOptions.builder().optimizer(Optimizer.ADAM)
                        .patience(4).maxRollbacks(1).build(), DbnOptions::fromMap),
                family(EnergyOptions.builder().updates(7).build(), EnergyOptions.builder().optimizer(Optimizer.ADAM)
                        .maxRollbacks(1).build(), EnergyOptions::fromMap),
                family(DbmOptions.builder().hidden(5, 4).build(), DbmOptions.builder().optimizer(Optimizer.ADAM)
                        .maxRollbacks(1).build(), DbmOptions::fromMap),
                family(ConditionalOptions.builder().epochs(2).build(), ConditionalOptions.builder().optimizer(Optimizer.ADAM)
                        .holdout(10).patience(4).maxRollbacks(1).build(), ConditionalOptions::fromMap));
    }

    private static Arguments family(OptionsRecord<?, ?> plain, OptionsRecord<?, ?> set,
                                    Function<Map<String, String>, ?> fromMap) {
        return Arguments.of(plain, set, fromMap);
    }

    @ParameterizedTest
    @MethodSource("families")
    void olderFilesReadWithTheDefaultsAndSetValuesRoundTrip(OptionsRecord<?, ?> plain, OptionsRecord<?, ?> set,
                                                            Function<Map<String, String>, ?> fromMap) {
        Map<String, String> older = new LinkedHashMap<>(plain.toMap());
        assertEquals("sgd", older.remove("optimizer"));
        assertEquals("0", older.remove("patience"));
        assertEquals("3", older.remove("max_rollbacks"));
        assertEquals(plain, fromMap.apply(older));
        assertEquals(set, fromMap.apply(set.toMap()));
    }
}
