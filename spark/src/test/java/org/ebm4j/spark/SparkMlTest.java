package org.ebm4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ebm4j.dbn.Dbn;
import org.ebm4j.rbm.Rbm;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Backends;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkMlTest {
    private static final int COLS = 10;

    private static RbmEstimator estimator() {
        return new RbmEstimator().setHidden(4).setBatchSize(8).setEpochs(2).setLearningRate(0.1).setSeed(11)
                .setUpdatesPerRound(2);
    }

    @Test
    void rbmModelTransformsLikeTheLibraryAndSurvivesPersistenceAndExport(@TempDir Path dir) throws Exception {
        float[] v = Frames.binary(32, COLS, 1);
        Dataset<Row> df = Frames.vectors(v, COLS, new int[32], 2);
        RbmModel model = estimator().fit(df);
        Backend backend = Backends.get();
        float[] expected;
        try (Rbm rbm = model.toRbm(backend)) {
            expected = rbm.transform(org.ebm4j.data.Dataset.of("rows", 32, COLS, v)).values();
        }
        assertArrayEquals(expected, hidden(model.transform(df), 4));

        String saved = dir.resolve("spark-model").toString();
        model.write().overwrite().save(saved);
        RbmModel loaded = RbmModel.load(saved);
        assertEquals(model.uid(), loaded.uid());
        assertEquals(model.getOutputCol(), loaded.getOutputCol());
        assertArrayEquals(expected, hidden(loaded.transform(df), 4));

        Path file = dir.resolve("model.ebm");
        model.exportModelFile(file);
        try (Rbm rbm = Rbm.load(file, backend)) {
            assertEquals(model.layer(0).parameters(), rbm.parameters());
        }
    }

    @Test
    void dbnPretrainsLayerByLayerAndExportsTheStack(@TempDir Path dir) throws Exception {
        float[] v = Frames.binary(32, COLS, 2);
        Dataset<Row> df = Frames.vectors(v, COLS, new int[32], 2);
        DbnEstimator est = new DbnEstimator().setLayers(6, 3).setBatchSize(8).setEpochs(2).setLearningRate(0.1)
                .setSeed(11).setUpdatesPerRound(2);
        DbnModel model = est.fit(df);
        assertEquals(2, model.depth());
        // The bottom layer is the RBM the RBM estimator trains with the same settings (seed + 0).
        RbmModel bottom = estimator().setHidden(6).fit(df);
        assertEquals(bottom.layer(0).parameters(), model.layer(0).parameters());
        Backend backend = Backends.get();
        float[] expected;
        try (Dbn dbn = model.toDbn(backend)) {
            org.ebm4j.data.Dataset d = org.ebm4j.data.Dataset.of("rows", 32, COLS, v);
            try (Rbm l0 = Rbm.of(backend, model.layer(0)); Rbm l1 = Rbm.of(backend, model.layer(1))) {
                expected = l1.transform(l0.transform(d)).values();
            }
        }
        assertArrayEquals(expected, hidden(model.transform(df), 3));
        String saved = dir.resolve("dbn").toString();
        model.write().overwrite().save(saved);
        assertArrayEquals(expected, hidden(DbnModel.load(saved).transform(df), 3));
        Path file = dir.resolve("dbn.ebm");
        model.exportModelFile(file, backend);
        try (Dbn dbn = Dbn.load(file, backend)) {
            assertEquals(model.layer(1).parameters(), dbn.layer(1).parameters());
        }
    }

    @Test
    void estimatorsSurviveMlPersistenceWithEveryParameter(@TempDir Path dir) throws Exception {
        RbmEstimator rbm = estimator().setMethod("pcd").setChains(3).setK(2).setMomentum(0.3).setWeightDecay(1e-4)
                .setInitStd(0.02).setBinarization("fixed:0.4").setFeaturesCol("pixels").setOutputCol("h");
        rbm.write().save(dir.resolve("rbm").toString());
        RbmEstimator rbmLoaded = RbmEstimator.load(dir.resolve("rbm").toString());
        assertSameParams(rbm, rbmLoaded);

        DbnEstimator dbn = new DbnEstimator().setLayers(7, 5, 3).setEpochs(4).setSeed(5).setUpdatesPerRound(3);
        dbn.write().save(dir.resolve("dbn").toString());
        DbnEstimator dbnLoaded = DbnEstimator.load(dir.resolve("dbn").toString());
        assertSameParams(dbn, dbnLoaded);
        assertArrayEquals(new int[] {7, 5, 3}, dbnLoaded.getLayers());
    }

    @Test
    void anUnfittedPipelineWithTheRbmSavesLoadsAndFitsTheSameModel(@TempDir Path dir) throws Exception {
        int rows = 32;
        int[] labels = new int[rows];
        for (int i = 0; i < rows; i++) {
            labels[i] = i % 2;
        }
        Dataset<Row> df = Frames.vectors(Frames.binary(rows, COLS, 3), COLS, labels, 2);
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {estimator().setOutputCol("rbm"),
                new LogisticRegression().setFeaturesCol("rbm").setMaxIter(5)});
        pipeline.write().save(dir.resolve("pipeline").toString());
        Pipeline loaded = Pipeline.load(dir.resolve("pipeline").toString());
        assertSameParams((RbmEstimator) pipeline.getStages()[0], (RbmEstimator) loaded.getStages()[0]);
        PipelineModel a = pipeline.fit(df);
        PipelineModel b = loaded.fit(df);
        assertEquals(((RbmModel) a.stages()[0]).layer(0).parameters(), ((RbmModel) b.stages()[0]).layer(0).parameters());
    }

    /** Same class, uid and explicitly set and default values of every parameter. */
    private static void assertSameParams(RbmTrainingParams<?, ?> expected, RbmTrainingParams<?, ?> got) {
        assertEquals(expected.getClass(), got.getClass());
        assertEquals(expected.uid(), got.uid());
        ParamMap e = expected.extractParamMap();
        ParamMap g = got.extractParamMap();
        assertEquals(e.size(), g.size());
        for (org.apache.spark.ml.param.Param<?> p : expected.params()) {
            Object want = e.apply(p);
            Object have = g.apply(got.getParam(p.name()));
            if (want instanceof int[] w) {
                assertArrayEquals(w, (int[]) have, p.name());
            } else {
                assertEquals(want, have, p.name());
            }
        }
    }

    @Test
    void aFeatureColumnOfTheWrongTypeIsRefusedByName() {
        Dataset<Row> df = SparkTests.session().createDataFrame(List.of(RowFactory.create("a")),
                new StructType().add("pixels", DataTypes.StringType));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> estimator().setFeaturesCol("pixels").fit(df));
        assertEquals("features column 'pixels' must be a vector, array<float> or array<double>, found string",
                e.getMessage());
    }

    @Test
    void aBadRowIsNamedByColumnPartitionAndRow() {
        assertBadRow(new double[] {0, 1, Double.NaN}, "has NaN at index 2, expected finite values");
        assertBadRow(new double[] {0, Double.POSITIVE_INFINITY, 1}, "has Infinity at index 1, expected finite values");
        assertBadRow(new double[] {0, 1}, "has 2 values, expected 3");
    }

    /** Three good rows, then {@code bad} as row 3 of the only partition, as an {@code array<double>} column. */
    private static void assertBadRow(double[] bad, String what) {
        List<Row> rows = Arrays.asList(RowFactory.create((Object) new double[] {0, 1, 0}),
                RowFactory.create((Object) new double[] {1, 1, 0}), RowFactory.create((Object) new double[] {0, 0, 1}),
                RowFactory.create((Object) bad));
        Dataset<Row> df = SparkTests.session().createDataFrame(rows,
                new StructType().add("x", DataTypes.createArrayType(DataTypes.DoubleType))).coalesce(1);
        Exception e = assertThrows(Exception.class, () -> estimator().setFeaturesCol("x").fit(df));
        String expected = "features column 'x', row 3 of partition 0: " + what;
        assertTrue(String.valueOf(e.getMessage()).contains(expected), () -> "expected '" + expected + "' in: "
                + e.getMessage());
    }

    private static float[] hidden(Dataset<Row> transformed, int width) {
        List<Row> rows = transformed.select("hidden").collectAsList();
        float[] out = new float[rows.size() * width];
        for (int i = 0; i < rows.size(); i++) {
            Vector h = rows.get(i).getAs(0);
            for (int j = 0; j < width; j++) {
                out[i * width + j] = (float) h.apply(j);
            }
        }
        return out;
    }
}
