package org.ebm4j.spark;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.ebm4j.io.ModelFile;
import org.ebm4j.rbm.Rbm;
import org.ebm4j.rbm.RbmModelFile;
import org.ebm4j.tensor.Backend;

/**
 * A fitted stack of RBMs as a Spark ML transformer: {@link #transform} adds {@code outputCol}, the top
 * layer's hidden probabilities {@code p(h | v)} propagated up the stack (each layer applying its own
 * preprocessing), as a vector. Each layer travels as its ebm4j model file, the one format the library
 * saves RBMs in; ML persistence writes Spark's metadata and one {@code layer-<i>.ebm} file per layer.
 *
 * @param <M> the concrete model
 */
public abstract class LayerStackModel<M extends LayerStackModel<M>> extends Model<M>
        implements ColumnParams<M>, MLWritable {
    /** Rows transformed per backend call. */
    private static final int BATCH = 1024;

    private final String uid;
    private final List<byte[]> layers;

    LayerStackModel(String uid, List<byte[]> layers) {
        this.uid = uid;
        this.layers = List.copyOf(layers);
        setDefault(featuresCol(), "features");
        setDefault(outputCol(), "hidden");
    }

    /** The ebm4j model file of {@code rbm}, as bytes. */
    static byte[] bytes(Rbm rbm) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            rbm.toModelFile().writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Layer {@code i} (0: bottom) as an ebm4j model file. */
    public RbmModelFile layer(int i) {
        try {
            byte[] b = layers.get(i);
            return RbmModelFile.from(ModelFile.read(new ByteArrayInputStream(b), b.length, "layer " + i), "layer " + i);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Number of RBM layers. */
    public int depth() {
        return layers.size();
    }

    @Override
    public String uid() {
        return uid;
    }

    @Override
    public StructType transformSchema(StructType schema) {
        return FeatureColumn.withOutput(this, schema);
    }

    @Override
    public Dataset<Row> transform(Dataset<?> data) {
        StructType out = transformSchema(data.schema());
        FeatureColumn column = new FeatureColumn(getFeaturesCol());
        int index = data.schema().fieldIndex(getFeaturesCol());
        int width = layer(0).parameters().visible();
        List<byte[]> stack = layers;
        JavaRDD<Row> rows = data.toDF().javaRDD().mapPartitionsWithIndex(
                (p, it) -> new Transformed(stack, column.reader(p, it, index, width), width), true);
        return data.sparkSession().createDataFrame(rows, out);
    }

    /** Rows with the top layer's probabilities appended, computed {@link #BATCH} rows at a time. */
    private static final class Transformed implements Iterator<Row> {
        private final List<RbmModelFile> stack = new ArrayList<>();
        private final FeatureColumn.Reader in;
        private final int width;
        private Iterator<Row> ready = List.<Row>of().iterator();

        Transformed(List<byte[]> layers, FeatureColumn.Reader in, int width) throws IOException {
            for (byte[] b : layers) {
                stack.add(RbmModelFile.from(ModelFile.read(new ByteArrayInputStream(b), b.length, "model layer"),
                        "model layer"));
            }
            this.in = in;
            this.width = width;
        }

        @Override
        public boolean hasNext() {
            if (!ready.hasNext() && in.hasNext()) {
                fill();
            }
            return ready.hasNext();
        }

        @Override
        public Row next() {
            hasNext();
            return ready.next();
        }

        private void fill() {
            List<Row> pending = new ArrayList<>();
            while (in.hasNext() && pending.size() < BATCH) {
                pending.add(in.nextRow());
            }
            int n = pending.size();
            float[] v = new float[n * width];
            for (int i = 0; i < n; i++) {
                System.arraycopy(in.values(pending.get(i)), 0, v, i * width, width);
            }
            org.ebm4j.data.Dataset d = ExecutorBackend.run(backend -> upPass(backend,
                    org.ebm4j.data.Dataset.of("partition " + in.partition(), n, width, v)));
            float[] h = d.values();
            int nh = d.cols();
            List<Row> done = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                Row r = pending.get(i);
                Object[] values = new Object[r.size() + 1];
                for (int j = 0; j < r.size(); j++) {
                    values[j] = r.get(j);
                }
                double[] hd = new double[nh];
                for (int j = 0; j < nh; j++) {
                    hd[j] = h[i * nh + j];
                }
                values[r.size()] = Vectors.dense(hd);
                done.add(RowFactory.create(values));
            }
            ready = done.iterator();
        }

        private org.ebm4j.data.Dataset upPass(Backend backend, org.ebm4j.data.Dataset d) {
            for (RbmModelFile layer : stack) {
                try (Rbm rbm = Rbm.of(backend, layer)) {
                    d = rbm.transform(d);
                }
            }
            return d;
        }
    }

    @Override
    public MLWriter write() {
        return new Writer(this);
    }

    /** Spark's metadata (class, uid, params) and one ebm4j model file per layer. */
    private static final class Writer extends MLWriter {
        private final LayerStackModel<?> model;

        Writer(LayerStackModel<?> model) {
            this.model = model;
        }

        @Override
        public void saveImpl(String path) {
            DefaultParamsWriter.saveMetadata(model, path, sparkSession());
            try {
                for (int i = 0; i < model.layers.size(); i++) {
                    Path p = new Path(path, "layer-" + i + ".ebm");
                    FileSystem fs = p.getFileSystem(sparkSession().sparkContext().hadoopConfiguration());
                    try (OutputStream out = fs.create(p, true)) {
                        out.write(model.layers.get(i));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * The reader of {@link #write()}'s output for models of {@code type}: the layers {@link Writer} wrote
     * and the params of the metadata, in a model made by {@code type}'s (uid, layers) constructor.
     */
    static <T extends LayerStackModel<T>> MLReader<T> reader(Class<T> type) {
        return new MLReader<>() {
            @Override
            public T load(String path) {
                return LayerStackModel.load(sparkSession(), path, type);
            }
        };
    }

    /** A copy with the same uid and layers, and the params of this one overridden by {@code extra}. */
    @Override
    public M copy(ParamMap extra) {
        @SuppressWarnings("unchecked")
        Class<M> type = (Class<M>) getClass();
        return copyValues(create(type, uid, layers), extra).setParent(parent());
    }

    /**
     * A model of {@code type} through its (uid, layers) constructor, the way Spark's {@code defaultCopy}
     * finds a stage's (uid) constructor, so each model class needs no copy or reader code of its own.
     */
    private static <T extends LayerStackModel<T>> T create(Class<T> type, String uid, List<byte[]> layers) {
        try {
            return type.getDeclaredConstructor(String.class, List.class).newInstance(uid, layers);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("creating a " + type.getSimpleName() + " failed", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(type.getName() + " needs a (String uid, List<byte[]> layers) constructor", e);
        }
    }

    private static <T extends LayerStackModel<T>> T load(SparkSession spark, String path, Class<T> type) {
        DefaultParamsReader.Metadata metadata = DefaultParamsReader.loadMetadata(path, spark, type.getName());
        List<byte[]> layers = new ArrayList<>();
        try {
            for (int i = 0; ; i++) {
                Path p = new Path(path, "layer-" + i + ".ebm");
                FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
                if (!fs.exists(p)) {
                    break;
                }
                try (InputStream in = fs.open(p)) {
                    layers.add(in.readAllBytes());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (layers.isEmpty()) {
            throw new IllegalArgumentException(path + " holds no layer-0.ebm: it was not written by an ebm4j model");
        }
        T model = create(type, metadata.uid(), layers);
        metadata.getAndSetParams(model, scala.Option.empty());
        return model;
    }
}
