package org.ebm4j.spark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.util.MLReader;
import org.ebm4j.dbn.Dbn;
import org.ebm4j.rbm.RbmParameters;
import org.ebm4j.tensor.Backend;

/**
 * A DBN pretrained greedily by {@link DbnEstimator}: a transformer that adds the top layer's hidden
 * probabilities (the up-pass) as a vector column, with Spark ML persistence and the ebm4j DBN model
 * file ({@link #exportModelFile}).
 */
public final class DbnModel extends LayerStackModel<DbnModel> {
    private static final long serialVersionUID = 1L;

    DbnModel(String uid, List<byte[]> layers) {
        super(uid, layers);
    }

    /** The pretrained stack as an ebm4j {@link Dbn} on {@code backend} (the caller closes it). */
    public Dbn toDbn(Backend backend) {
        List<RbmParameters> stack = new ArrayList<>();
        for (int i = 0; i < depth(); i++) {
            stack.add(layer(i).parameters());
        }
        return Dbn.of(backend, stack);
    }

    /** Writes the ebm4j DBN model file ({@code Dbn.load} reads it). */
    public void exportModelFile(Path path, Backend backend) throws IOException {
        try (Dbn dbn = toDbn(backend)) {
            dbn.save(path);
        }
    }

    /** The reader of {@link #write()}'s output, for {@code DbnModel.load} and pipelines. */
    public static MLReader<DbnModel> read() {
        return reader(DbnModel.class);
    }

    /** Loads a model saved with {@code write().save(path)}. */
    public static DbnModel load(String path) {
        return read().load(path);
    }
}
