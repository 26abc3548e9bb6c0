package org.ebm4j.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.ebm4j.rbm.Rbm;

/**
 * A Spark ML estimator that pretrains a DBN greedily, bottom layer first: each RBM is trained
 * data-parallel ({@link SparkRbm#fit}) on the hidden probabilities of the stack below it, computed
 * by the partly built model's {@code transform}. Layer {@code i} uses seed {@code seed + i}; layers
 * above the first take the probabilities as they are (no binarization).
 */
public final class DbnEstimator extends RbmTrainingParams<DbnModel, DbnEstimator> {
    private static final long serialVersionUID = 1L;
    private static final String LAYER_INPUT = "ebm4j_layer_input";

    public DbnEstimator() {
        this(Identifiable$.MODULE$.randomUID("ebm4jDbn"));
    }

    public DbnEstimator(String uid) {
        super(uid);
        setDefault(layers(), new int[] {500, 500});
    }

    /** Hidden units of each layer, bottom first; made on each call like the column params (see {@link ColumnParams}). */
    public IntArrayParam layers() {
        return new IntArrayParam(this, "layers", "hidden units of each layer, bottom first");
    }

    public int[] getLayers() {
        return getOrDefault(layers());
    }

    public DbnEstimator setLayers(int... value) {
        set(layers(), value);
        return this;
    }

    @Override
    public DbnModel fit(Dataset<?> data) {
        transformSchema(data.schema());
        int[] sizes = getLayers();
        if (sizes.length == 0) {
            throw new IllegalArgumentException("a DBN needs at least one layer; set layers");
        }
        List<byte[]> trained = new ArrayList<>();
        Dataset<Row> input = data.toDF();
        String column = getFeaturesCol();
        for (int i = 0; i < sizes.length; i++) {
            if (i > 0) {
                DbnModel below = new DbnModel(uid(), List.of(trained.get(i - 1)));
                below.setFeaturesCol(column).setOutputCol(LAYER_INPUT + i);
                input = below.transform(input).select(LAYER_INPUT + i);
                column = LAYER_INPUT + i;
            }
            try (Rbm rbm = SparkRbm.fit(input, column, rbmOptions(sizes[i], i), getUpdatesPerRound())) {
                trained.add(LayerStackModel.bytes(rbm));
            }
        }
        DbnModel m = new DbnModel(uid(), trained);
        m.setFeaturesCol(getFeaturesCol()).setOutputCol(getOutputCol());
        return m.setParent(this);
    }

    @Override
    public DbnEstimator copy(ParamMap extra) {
        return defaultCopy(extra);
    }
}
