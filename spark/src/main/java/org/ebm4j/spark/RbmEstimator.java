package org.ebm4j.spark;

import java.util.List;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.sql.Dataset;
import org.ebm4j.rbm.Rbm;

/**
 * A Spark ML estimator that trains an RBM data-parallel over the partitions of its input
 * ({@link SparkRbm#fit}) and returns an {@link RbmModel}.
 *
 * <pre>{@code
 * RbmModel m = new RbmEstimator().setFeaturesCol("pixels").setHidden(128).setEpochs(5).fit(train);
 * Dataset<Row> features = m.transform(test);   // adds the column "hidden"
 * }</pre>
 */
public final class RbmEstimator extends RbmTrainingParams<RbmModel, RbmEstimator> {
    private static final long serialVersionUID = 1L;

    public RbmEstimator() {
        this(Identifiable$.MODULE$.randomUID("ebm4jRbm"));
    }

    public RbmEstimator(String uid) {
        super(uid);
        setDefault(hidden(), (Object) 256);
    }

    /** Hidden units (>= 1); made on each call like the column params (see {@link ColumnParams}). */
    public IntParam hidden() {
        return new IntParam(uid(), "hidden", "hidden units (>= 1)");
    }

    public int getHidden() {
        return (Integer) getOrDefault(hidden());
    }

    public RbmEstimator setHidden(int value) {
        set(hidden(), (Object) value);
        return this;
    }

    @Override
    public RbmModel fit(Dataset<?> data) {
        transformSchema(data.schema());
        try (Rbm rbm = SparkRbm.fit(data, getFeaturesCol(), rbmOptions(getHidden(), 0), getUpdatesPerRound())) {
            RbmModel m = new RbmModel(uid(), List.of(LayerStackModel.bytes(rbm)));
            m.setFeaturesCol(getFeaturesCol()).setOutputCol(getOutputCol());
            return m.setParent(this);
        }
    }

    @Override
    public RbmEstimator copy(ParamMap extra) {
        return defaultCopy(extra);
    }
}
