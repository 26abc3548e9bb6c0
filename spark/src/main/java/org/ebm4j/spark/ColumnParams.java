package org.ebm4j.spark;

import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * The two columns every ebm4j stage names, as Spark ML's shared {@code HasFeaturesCol} and
 * {@code HasOutputCol} name them: {@code featuresCol} (read by the estimators and the models) and
 * {@code outputCol} (the vector column the models add). The estimators and the models they fit get
 * both params, their getters and their setters here, so the two cannot drift apart.
 *
 * @param <S> the stage itself, which the setters return
 */
public interface ColumnParams<S extends ColumnParams<S>> extends Params {
    // A Param is a value (Spark compares params by their parent's uid and their name), so each call may
    // make it afresh instead of every stage keeping it in a field of its own.

    /** The features column: a vector, {@code array<float>} or {@code array<double>} (default "features"). */
    default Param<String> featuresCol() {
        return new Param<>(uid(), "featuresCol", "features column: vector, array<float> or array<double>");
    }

    /** The output column: the top layer's hidden probabilities as a vector (default "hidden"). */
    default Param<String> outputCol() {
        return new Param<>(uid(), "outputCol", "output column: the top layer's hidden probabilities (vector)");
    }

    /** The features column's name. */
    default String getFeaturesCol() {
        return getOrDefault(featuresCol());
    }

    /** The output column's name. */
    default String getOutputCol() {
        return getOrDefault(outputCol());
    }

    /** Sets the features column's name. */
    @SuppressWarnings("unchecked")
    default S setFeaturesCol(String value) {
        set(featuresCol(), value);
        return (S) this;
    }

    /** Sets the output column's name. */
    @SuppressWarnings("unchecked")
    default S setOutputCol(String value) {
        set(outputCol(), value);
        return (S) this;
    }
}
