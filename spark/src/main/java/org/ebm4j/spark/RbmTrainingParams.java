package org.ebm4j.spark;

import java.util.Locale;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.types.StructType;
import org.ebm4j.data.Binarization;
import org.ebm4j.rbm.RbmOptions;
import org.ebm4j.rbm.TrainingMethod;

/**
 * The Spark ML parameters shared by the RBM and DBN estimators: the columns, the training options of
 * {@link RbmOptions} (same names as its {@code toMap} keys, in camel case, and the same defaults) and
 * {@code updatesPerRound}, the minibatch updates each partition runs between two averagings.
 *
 * <p>Estimators save with Spark ML persistence ({@code write().save(path)}, the parameters as JSON
 * metadata, also as a stage of an unfitted {@code Pipeline}) and load with {@code RbmEstimator.load(path)}
 * or {@code DbnEstimator.load(path)}.
 *
 * @param <M> the model the estimator fits
 * @param <S> the estimator itself, which the setters return
 */
public abstract class RbmTrainingParams<M extends Model<M>, S extends RbmTrainingParams<M, S>> extends Estimator<M>
        implements ColumnParams<S>, DefaultParamsWritable {
    private static final RbmOptions DEFAULTS = RbmOptions.builder().build();

    private final String uid;

    protected RbmTrainingParams(String uid) {
        this.uid = uid;
        setDefault(featuresCol(), "features");
        setDefault(outputCol(), "hidden");
        setDefault(method(), DEFAULTS.method().id());
        setDefault(k(), (Object) DEFAULTS.k());
        setDefault(chains(), (Object) DEFAULTS.chains());
        setDefault(learningRate(), (Object) DEFAULTS.learningRate());
        setDefault(momentum(), (Object) DEFAULTS.momentum());
        setDefault(weightDecay(), (Object) DEFAULTS.weightDecay());
        setDefault(batchSize(), (Object) DEFAULTS.batchSize());
        setDefault(epochs(), (Object) DEFAULTS.epochs());
        setDefault(seed(), (Object) DEFAULTS.seed());
        setDefault(initStd(), (Object) DEFAULTS.initWeightStd());
        setDefault(binarization(), DEFAULTS.binarization().toString());
        setDefault(updatesPerRound(), (Object) 1);
    }

    @Override
    public String uid() {
        return uid;
    }

    // Each param accessor makes its Param afresh, as ColumnParams does: Spark compares params by their
    // parent's uid and name, so one declaration per param is enough and no field has to match it.

    /**
     * The reader of an estimator saved with {@code write().save(path)}: it makes the class the saved
     * metadata names, so one reader serves both estimators (and {@code Pipeline.load} finds it as the
     * stage class's static {@code read()}).
     */
    public static <T extends RbmTrainingParams<?, ?>> MLReader<T> read() {
        return new DefaultParamsReader<>();
    }

    /** Loads an estimator saved with {@code write().save(path)}, e.g. {@code RbmEstimator e = RbmEstimator.load(p)}. */
    public static <T extends RbmTrainingParams<?, ?>> T load(String path) {
        return RbmTrainingParams.<T>read().load(path);
    }

    /** The options of the RBM with {@code hidden} units at depth {@code layer} (0: the data's layer). */
    RbmOptions rbmOptions(int hidden, int layer) {
        // Layers above the first see hidden probabilities, which are used as they are.
        Binarization b = layer == 0 ? Binarization.parse(getBinarization(), getSeed()) : Binarization.none();
        return RbmOptions.builder().hidden(hidden).holdout(0).standardize(false).binarization(b)
                .method(TrainingMethod.parse(getMethod().toLowerCase(Locale.ROOT))).k(getK()).chains(getChains())
                .learningRate(getLearningRate()).momentum(getMomentum()).weightDecay(getWeightDecay())
                .batchSize(getBatchSize()).epochs(getEpochs()).seed(getSeed() + layer).initWeightStd(getInitStd())
                .build();
    }

    /** The output schema: the input with {@code outputCol} (a vector) added. */
    @Override
    public StructType transformSchema(StructType schema) {
        return FeatureColumn.withOutput(this, schema);
    }

    public Param<String> method() {
        return new Param<>(uid(), "method", "cd or pcd");
    }

    public IntParam k() {
        return new IntParam(uid(), "k", "Gibbs steps per update (>= 1)");
    }

    public IntParam chains() {
        return new IntParam(uid(), "chains", "persistent chains per partition (pcd)");
    }

    public DoubleParam learningRate() {
        return new DoubleParam(uid(), "learningRate", "learning rate (> 0)");
    }

    public DoubleParam momentum() {
        return new DoubleParam(uid(), "momentum", "momentum in [0, 1)");
    }

    public DoubleParam weightDecay() {
        return new DoubleParam(uid(), "weightDecay", "L2 coefficient on the weights (>= 0)");
    }

    public IntParam batchSize() {
        return new IntParam(uid(), "batchSize", "rows per minibatch on each partition");
    }

    public IntParam epochs() {
        return new IntParam(uid(), "epochs", "passes over the data");
    }

    public LongParam seed() {
        return new LongParam(uid(), "seed", "seed of every random stream");
    }

    public DoubleParam initStd() {
        return new DoubleParam(uid(), "initStd", "standard deviation of the initial weights");
    }

    public Param<String> binarization() {
        return new Param<>(uid(), "binarization", "none or fixed[:T], applied to the first layer's input");
    }

    public IntParam updatesPerRound() {
        return new IntParam(uid(), "updatesPerRound",
                "minibatch updates per partition between two averagings (1: gradient averaging)");
    }

    public String getMethod() {
        return getOrDefault(method());
    }

    public int getK() {
        return (Integer) getOrDefault(k());
    }

    public int getChains() {
        return (Integer) getOrDefault(chains());
    }

    public double getLearningRate() {
        return (Double) getOrDefault(learningRate());
    }

    public double getMomentum() {
        return (Double) getOrDefault(momentum());
    }

    public double getWeightDecay() {
        return (Double) getOrDefault(weightDecay());
    }

    public int getBatchSize() {
        return (Integer) getOrDefault(batchSize());
    }

    public int getEpochs() {
        return (Integer) getOrDefault(epochs());
    }

    public long getSeed() {
        return (Long) getOrDefault(seed());
    }

    public double getInitStd() {
        return (Double) getOrDefault(initStd());
    }

    public String getBinarization() {
        return getOrDefault(binarization());
    }

    public int getUpdatesPerRound() {
        return (Integer) getOrDefault(updatesPerRound());
    }


    public S setMethod(String value) {
        set(method(), value);
        return self();
    }

    public S setK(int value) {
        set(k(), (Object) value);
        return self();
    }

    public S setChains(int value) {
        set(chains(), (Object) value);
        return self();
    }

    public S setLearningRate(double value) {
        set(learningRate(), (Object) value);
        return self();
    }

    public S setMomentum(double value) {
        set(momentum(), (Object) value);
        return self();
    }

    public S setWeightDecay(double value) {
        set(weightDecay(), (Object) value);
        return self();
    }

    public S setBatchSize(int value) {
        set(batchSize(), (Object) value);
        return self();
    }

    public S setEpochs(int value) {
        set(epochs(), (Object) value);
        return self();
    }

    public S setSeed(long value) {
        set(seed(), (Object) value);
        return self();
    }

    public S setInitStd(double value) {
        set(initStd(), (Object) value);
        return self();
    }

    public S setBinarization(String value) {
        set(binarization(), value);
        return self();
    }

    public S setUpdatesPerRound(int value) {
        set(updatesPerRound(), (Object) value);
        return self();
    }

    /** This estimator, for the setters. */
    @SuppressWarnings("unchecked")
    protected S self() {
        return (S) this;
    }
}
