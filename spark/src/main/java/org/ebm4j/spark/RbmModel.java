package org.ebm4j.spark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.util.MLReader;
import org.ebm4j.rbm.Rbm;
import org.ebm4j.tensor.Backend;

/**
 * An RBM fitted by {@link RbmEstimator}: a transformer that adds the hidden probabilities
 * {@code p(h | v)} as a vector column, with Spark ML persistence ({@link #write()}, {@link #read()})
 * and the ebm4j model file ({@link #exportModelFile}).
 */
public final class RbmModel extends LayerStackModel<RbmModel> {
    private static final long serialVersionUID = 1L;

    RbmModel(String uid, List<byte[]> layers) {
        super(uid, layers);
        if (layers.size() != 1) {
            throw new IllegalArgumentException("an RBM model has one layer, found " + layers.size());
        }
    }

    /** The model as an ebm4j {@link Rbm} on {@code backend} (the caller closes it). */
    public Rbm toRbm(Backend backend) {
        return Rbm.of(backend, layer(0));
    }

    /** Writes the ebm4j model file ({@code Rbm.load} reads it, so do {@code ebm rbm} commands). */
    public void exportModelFile(Path path) throws IOException {
        layer(0).toModelFile().write(path);
    }

    /** The reader of {@link #write()}'s output, for {@code RbmModel.load} and pipelines. */
    public static MLReader<RbmModel> read() {
        return reader(RbmModel.class);
    }

    /** Loads a model saved with {@code write().save(path)}. */
    public static RbmModel load(String path) {
        return read().load(path);
    }
}
