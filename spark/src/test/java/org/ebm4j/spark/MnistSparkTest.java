package org.ebm4j.spark;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.ebm4j.data.Mnist;
import org.ebm4j.rbm.PseudoLikelihood;
import org.ebm4j.rbm.Rbm;
import org.ebm4j.rbm.RbmOptions;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Backends;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.train.Checkpointing;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The bundled 10,000 MNIST images: 8,000 to train on (four partitions of 2,000), 2,000 held out. */
class MnistSparkTest {
    private static final int TRAIN = 8000;
    private static org.ebm4j.data.Dataset train;
    private static org.ebm4j.data.Dataset test;

    @BeforeAll
    static void load() throws Exception {
        org.ebm4j.data.Dataset all = Mnist.embedded();
        train = all.slice(0, TRAIN);
        test = all.slice(TRAIN, all.rows());
    }

    /**
     * One pipeline fit serves both checks (Spark training dominates the module's test time): the RBM
     * stage's held-out pseudo-likelihood against the single-machine trainer with the same epochs, and the
     * pipeline's held-out accuracy against logistic regression on the raw pixels.
     */
    @Test
    void fourPartitionsTrainAnRbmThatFeedsLogisticRegressionInAPipeline() {
        Dataset<Row> trainDf = Frames.vectors(train.values(), train.cols(), train.labels(), 4);
        Dataset<Row> testDf = Frames.vectors(test.values(), test.cols(), test.labels(), 2);
        double lr = 0.05;
        // Averaging four partitions' updates every K = 5 steps makes one step with a 4x larger batch out of
        // four, so the partitions take 4x the single machine's rate (the linear scaling rule) to make the
        // same progress per epoch.
        RbmEstimator rbm = new RbmEstimator().setHidden(64).setEpochs(2).setUpdatesPerRound(5).setSeed(5)
                .setLearningRate(4 * lr).setOutputCol("rbm");
        LogisticRegression onFeatures = new LogisticRegression().setFeaturesCol("rbm").setMaxIter(30);
        PipelineModel model = new Pipeline().setStages(new PipelineStage[] {rbm, onFeatures}).fit(trainDf);

        Backend backend = Backends.get();
        RbmOptions single = RbmOptions.builder().hidden(64).holdout(0).epochs(2).seed(5).learningRate(lr).build();
        try (Rbm alone = Rbm.fit(backend, train, single, Checkpointing.none());
             Rbm spark = ((RbmModel) model.stages()[0]).toRbm(backend)) {
            double plSingle = heldOutPseudoLikelihood(alone);
            double plSpark = heldOutPseudoLikelihood(spark);
            System.out.printf("held-out pseudo-likelihood per pixel: single machine %.4f, 4 partitions K=5 %.4f%n",
                    plSingle, plSpark);
            // Acceptance criterion, not a fitted bound: within 10% of the single machine's value.
            assertTrue(Math.abs(plSpark - plSingle) <= 0.10 * Math.abs(plSingle),
                    "4 partitions " + plSpark + " vs single machine " + plSingle);
        }

        double accuracy = accuracy(model.transform(testDf));
        double raw = accuracy(new LogisticRegression().setMaxIter(30).fit(trainDf).transform(testDf));
        System.out.printf("held-out accuracy of logistic regression: 64 RBM features %.4f, raw pixels %.4f%n",
                accuracy, raw);
        // Chance is 0.10; logistic regression on 64 linear features of MNIST (PCA) reaches about 0.88. The
        // features of a 2-epoch RBM must keep most of that: at least 0.75, which with 2,000 held-out images
        // (standard error at most sqrt(0.25 / 2000) = 0.011) is not reached by chance below 0.70.
        assertTrue(accuracy >= 0.75, "accuracy " + accuracy);
    }

    private static double accuracy(Dataset<Row> predictions) {
        return new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(predictions);
    }

    private static double heldOutPseudoLikelihood(Rbm rbm) {
        try (Tensor t = test.toTensor(rbm.backend())) {
            rbm.binarization().apply(t);
            return PseudoLikelihood.mean(rbm, t);
        }
    }
}
