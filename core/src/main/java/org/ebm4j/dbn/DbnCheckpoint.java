package org.ebm4j.dbn;

import java.io.IOException;
import java.nio.file.Path;
import org.ebm4j.io.ModelFile;
import org.ebm4j.io.ModelFormatException;
import org.ebm4j.train.TrainingState;

/**
 * A DBN training checkpoint: a complete {@link DbnModelFile} plus the state of the phase in progress.
 * Pretraining ({@code checkpoint.phase=pretrain}): {@code checkpoint.layer} is the layer being trained
 * and the layer trainer's {@link TrainingState} is stored under {@code state.*}. Fine-tuning
 * ({@code checkpoint.phase=finetune}): {@code checkpoint.epochs_done}, {@code checkpoint.shuffle_draw}
 * and tensors {@code velocity.net<i>.W}, {@code velocity.net<i>.b}. Written atomically.
 *
 * @param model    the model at the end of the checkpointed epoch
 * @param layer    the layer being pretrained (pretraining only), else -1
 * @param pretrain the pretraining state, or null in the fine-tuning phase
 * @param finetune the fine-tuning state, or null in the pretraining phase
 */
public record DbnCheckpoint(DbnModelFile model, int layer, TrainingState pretrain, FineTuneState finetune) {
    public static final String PRETRAIN = "pretrain";
    public static final String FINETUNE = "finetune";

    public DbnCheckpoint {
        if ((pretrain == null) == (finetune == null)) {
            throw new IllegalArgumentException("a checkpoint holds the state of exactly one phase");
        }
    }

    public boolean isPretraining() {
        return pretrain != null;
    }

    public void write(Path path) throws IOException {
        ModelFile f = model.toModelFile();
        if (pretrain != null) {
            f.putMetadata("checkpoint.phase", PRETRAIN);
            f.putMetadata("checkpoint.layer", Integer.toString(layer));
            pretrain.writeTo(f);
        } else {
            f.putMetadata("checkpoint.phase", FINETUNE);
            f.putMetadata("checkpoint.epochs_done", Integer.toString(finetune.epochsDone()));
            f.putMetadata("checkpoint.shuffle_draw", Long.toString(finetune.shuffleDraw()));
            int[] s = model.netSizes();
            for (int i = 0; i + 1 < s.length; i++) {
                f.putTensor("velocity.net" + i + ".W", s[i], s[i + 1], finetune.weightVelocity()[i]);
                f.putTensor("velocity.net" + i + ".b", 1, s[i + 1], finetune.biasVelocity()[i]);
            }
        }
        f.write(path);
    }

    public static DbnCheckpoint read(Path path) throws IOException {
        String source = path.toString();
        ModelFile f = ModelFile.read(path);
        DbnModelFile model = DbnModelFile.from(f, source);
        String phase = f.require("checkpoint.phase", source);
        try {
            if (PRETRAIN.equals(phase)) {
                int layer = Integer.parseInt(f.require("checkpoint.layer", source));
                if (layer < 0 || layer >= model.stack().size()) {
                    throw new ModelFormatException(source + ": checkpoint layer " + layer + " outside 0.."
                            + (model.stack().size() - 1));
                }
                TrainingState st = TrainingState.readFrom(f, source);
                return new DbnCheckpoint(model, layer, st, null);
            }
            if (FINETUNE.equals(phase)) {
                if (!model.hasClassifier()) {
                    throw new ModelFormatException(source + ": a fine-tuning checkpoint without a classifier");
                }
                int[] s = model.netSizes();
                float[][] vw = new float[s.length - 1][];
                float[][] vb = new float[s.length - 1][];
                for (int i = 0; i + 1 < s.length; i++) {
                    vw[i] = f.tensor("velocity.net" + i + ".W", s[i], s[i + 1], source).data();
                    vb[i] = f.tensor("velocity.net" + i + ".b", 1, s[i + 1], source).data();
                }
                return new DbnCheckpoint(model, -1, null, new FineTuneState(
                        Integer.parseInt(f.require("checkpoint.epochs_done", source)),
                        Long.parseLong(f.require("checkpoint.shuffle_draw", source)), vw, vb));
            }
        } catch (NumberFormatException e) {
            throw new ModelFormatException(source + ": malformed checkpoint metadata: " + e.getMessage());
        }
        throw new ModelFormatException(source + ": checkpoint.phase must be pretrain or finetune, found '" + phase + "'");
    }
}
