package org.ebm4j.train;

import java.io.IOException;
import java.nio.file.Path;
import org.ebm4j.io.ModelFile;
import org.ebm4j.io.ModelFormatException;
import org.ebm4j.io.RbmModelFile;
import org.ebm4j.rbm.TrainerState;

/**
 * A training checkpoint: a complete RBM model file (so {@code ebm rbm eval} can read it) plus
 * the trainer's state: metadata {@code checkpoint.epochs_done}, {@code checkpoint.sampling_draw},
 * {@code checkpoint.shuffle_draw}, {@code checkpoint.chains}; tensors {@code velocity.W},
 * {@code velocity.vbias}, {@code velocity.hbias} and, for PCD, {@code chains}. Written
 * atomically (temporary file, fsync, rename), so a crash leaves the previous checkpoint intact.
 *
 * @param model the parameters and metadata at the end of the checkpointed epoch
 * @param state what the trainer needs to continue exactly
 */
public record RbmCheckpoint(RbmModelFile model, TrainerState state) {

    public void write(Path path) throws IOException {
        toModelFile().write(path);
    }

    public ModelFile toModelFile() {
        ModelFile f = model.toModelFile();
        int nv = model.parameters().visible();
        int nh = model.parameters().hidden();
        f.putMetadata("checkpoint.epochs_done", Integer.toString(state.epochsDone()));
        f.putMetadata("checkpoint.sampling_draw", Long.toString(state.samplingDraw()));
        f.putMetadata("checkpoint.shuffle_draw", Long.toString(state.shuffleDraw()));
        f.putMetadata("checkpoint.chains", Integer.toString(state.chainCount()));
        f.putTensor("velocity.W", nv, nh, state.weightVelocity());
        f.putTensor("velocity.vbias", 1, nv, state.visibleVelocity());
        f.putTensor("velocity.hbias", 1, nh, state.hiddenVelocity());
        if (state.chains() != null) {
            f.putTensor("chains", state.chainCount(), nv, state.chains());
        }
        return f;
    }

    public static RbmCheckpoint read(Path path) throws IOException {
        String source = path.toString();
        ModelFile f = ModelFile.read(path);
        RbmModelFile model = RbmModelFile.from(f, source);
        int nv = model.parameters().visible();
        int nh = model.parameters().hidden();
        int epochs;
        long samplingDraw;
        long shuffleDraw;
        int chains;
        try {
            epochs = Integer.parseInt(f.require("checkpoint.epochs_done", source));
            samplingDraw = Long.parseLong(f.require("checkpoint.sampling_draw", source));
            shuffleDraw = Long.parseLong(f.require("checkpoint.shuffle_draw", source));
            chains = Integer.parseInt(f.require("checkpoint.chains", source));
        } catch (NumberFormatException e) {
            throw new ModelFormatException(source + ": malformed checkpoint metadata: " + e.getMessage());
        }
        float[] chainData = chains > 0 ? f.tensor("chains", chains, nv, source).data() : null;
        TrainerState state = new TrainerState(epochs, samplingDraw, shuffleDraw,
                f.tensor("velocity.W", nv, nh, source).data(), f.tensor("velocity.vbias", 1, nv, source).data(),
                f.tensor("velocity.hbias", 1, nh, source).data(), chainData, chains);
        return new RbmCheckpoint(model, state);
    }
}
