package org.ebm4j.dbn;

import java.io.IOException;
import java.nio.file.Path;
import org.ebm4j.io.ModelFile;
import org.ebm4j.io.ModelFormatException;
import org.ebm4j.rbm.RbmTrainer;
import org.ebm4j.train.CheckpointWriter;
import org.ebm4j.train.TrainingState;

/**
 * A DBN training checkpoint read back: what {@link CheckpointWriter} wrote (a complete
 * {@link DbnModelFile} plus the {@link TrainingState} of the trainer in progress) and which phase
 * and layer that trainer belongs to, stored as metadata {@code checkpoint.phase} and, while
 * pretraining, {@code checkpoint.layer}. In the pretraining phase the state is the layer's
 * {@link RbmTrainer}'s and the model's {@code pretrainedLayers} is that layer's index; in the
 * fine-tuning phase it is the {@link FineTuner}'s and the model holds the classifier.
 *
 * @param model the model at the end of the checkpointed epoch
 * @param phase the phase in progress
 * @param layer the layer being pretrained, -1 while fine-tuning
 * @param state the trainer's state
 */
record DbnCheckpoint(DbnModelFile model, DbnPhase phase, int layer, TrainingState state) {
    private static final String PHASE = "checkpoint.phase";
    private static final String LAYER = "checkpoint.layer";

    /** Marks a checkpoint's model file with the phase and layer in progress ({@code layer} -1 while fine-tuning). */
    static ModelFile mark(ModelFile f, DbnPhase phase, int layer) {
        f.putMetadata(PHASE, phase.id());
        if (phase == DbnPhase.PRETRAIN) {
            f.putMetadata(LAYER, Integer.toString(layer));
        }
        return f;
    }

    /** Reads a DBN checkpoint; anything else (a model without training state, another model's checkpoint) is refused. */
    static DbnCheckpoint read(Path path) throws IOException {
        String source = path.toString();
        CheckpointWriter.Checkpoint c = CheckpointWriter.read(path);
        DbnModelFile model = DbnModelFile.from(c.model(), source);
        DbnPhase phase;
        int layer = -1;
        try {
            phase = DbnPhase.parse(c.model().require(PHASE, source));
            if (phase == DbnPhase.PRETRAIN) {
                layer = Integer.parseInt(c.model().require(LAYER, source));
            }
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(source + ": malformed DBN checkpoint metadata: " + e.getMessage());
        }
        c.requireTrainer(source, phase.id(), phase == DbnPhase.PRETRAIN ? RbmTrainer.KIND : FineTuner.KIND);
        if (phase == DbnPhase.PRETRAIN && (layer < 0 || layer >= model.stack().size())) {
            throw new ModelFormatException(source + ": checkpoint layer " + layer + " outside 0.."
                    + (model.stack().size() - 1));
        }
        if (phase == DbnPhase.FINETUNE && !model.hasClassifier()) {
            throw new ModelFormatException(source + ": a fine-tuning checkpoint without a classifier");
        }
        return new DbnCheckpoint(model, phase, layer, c.state());
    }
}
