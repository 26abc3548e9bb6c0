package org.ebm4j.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.ebm4j.data.Dataset;
import org.ebm4j.io.Provenance;
import org.ebm4j.tensor.Backend;

/**
 * What a training run of several phases (a DBN's or a DBM's pretraining, then fine-tuning or joint
 * training) carries through all of them: the backend, the data and its digest, the checkpointing, the
 * listeners and the stream positions drawn so far. From these it writes the model's {@link Provenance}
 * and tells the listeners that follow phases where the run is.
 *
 * @param backendDescription what {@link Backend#describe} said when the run began
 * @param sha256 the data's digest (a resumed run passes the one its checkpoint recorded, once checked)
 * @param draws the stream positions drawn so far, by name, in the order first recorded (copied): the
 *     phases put theirs here as they end, and {@link #provenance} writes them
 */
public record RunContext(Backend backend, Map<String, Object> backendDescription, Dataset data, String sha256,
                         Checkpointing checkpointing, List<TrainingListener> listeners, Map<String, Long> draws) {
    /** Copies {@code draws}, so that the run's positions are its own. */
    public RunContext {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(checkpointing, "checkpointing");
        draws = new LinkedHashMap<>(draws);
    }

    /** A run on {@code backend} as it describes itself now; {@code draws} as before this run (empty if fresh). */
    public static RunContext of(Backend backend, Dataset data, String sha256, Checkpointing checkpointing,
                                List<TrainingListener> listeners, Map<String, Long> draws) {
        return new RunContext(Objects.requireNonNull(backend, "backend"), backend.describe(), data, sha256,
                checkpointing, listeners, draws);
    }

    /** The provenance of a model of {@code modelKind} trained by this run with {@code options} and {@code seed}. */
    public Provenance provenance(String modelKind, Map<String, String> options, long seed) {
        return Provenance.builder().model(modelKind).options(options)
                .data(data.name(), data.rows(), data.cols(), sha256).seed(seed)
                .backend(backend.name(), backendDescription).draws(draws).build();
    }

    /** Hands {@code event} to each listener that is a {@code type} (the family's phase listener). */
    public <L> void tell(Class<L> type, Consumer<? super L> event) {
        for (TrainingListener l : listeners) {
            if (type.isInstance(l)) {
                event.accept(type.cast(l));
            }
        }
    }
}
