package org.ebm4j.spark;

import java.io.Serializable;
import java.util.Iterator;
import java.util.Objects;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A feature column of a DataFrame read as rows of floats: a Spark ML {@link Vector}, an
 * {@code array<float>} or an {@code array<double>} column whose every row has {@code width}
 * finite values. A wrong type is an error when the column is named; a row with a null, a wrong
 * length, a NaN or an infinity is an error naming the column, the partition and the row.
 */
final class FeatureColumn implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String name;

    FeatureColumn(String name) {
        this.name = Objects.requireNonNull(name, "features column");
    }

    /** The column's type, checked: Vector, array of float or array of double. */
    DataType checkType(StructType schema) {
        StructField field;
        try {
            field = schema.apply(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("features column '" + name + "' does not exist; the columns are "
                    + String.join(", ", schema.fieldNames()));
        }
        DataType t = field.dataType();
        boolean ok = t instanceof VectorUDT || t instanceof ArrayType a
                && (a.elementType().equals(DataTypes.FloatType) || a.elementType().equals(DataTypes.DoubleType));
        if (!ok) {
            throw new IllegalArgumentException("features column '" + name + "' must be a vector, array<float> or "
                    + "array<double>, found " + t.simpleString());
        }
        return t;
    }

    /**
     * A stage's output schema: {@code schema}, whose features column must have a type this class reads,
     * with the stage's output column (a vector) added.
     */
    static StructType withOutput(ColumnParams<?> stage, StructType schema) {
        new FeatureColumn(stage.getFeaturesCol()).checkType(schema);
        return schema.add(stage.getOutputCol(), new VectorUDT(), false);
    }

    /** The number of values in the first row of {@code data} (which must have one). */
    int width(Dataset<?> data) {
        checkType(data.schema());
        Row[] first = (Row[]) data.toDF().select(name).take(1);
        if (first.length == 0) {
            throw new IllegalArgumentException("features column '" + name + "' has no rows");
        }
        return values(first[0], 0, 0, 0, 0).length;
    }

    /**
     * The rows of {@code data} as float arrays of length {@code width} (0: the first row's length,
     * checked on every row of its partition), read lazily on the executors.
     */
    JavaRDD<float[]> read(Dataset<?> data, int width) {
        checkType(data.schema());
        return data.toDF().select(name).javaRDD().mapPartitionsWithIndex((p, rows) -> new Reader(p, rows, 0, width),
                true);
    }

    /** The values of one row (index {@code row} of partition {@code partition}), checked. */
    float[] values(Row r, int index, int partition, long row, int width) {
        Object v = r.isNullAt(index) ? null : r.get(index);
        float[] out;
        if (v == null) {
            throw bad(partition, row, "is null");
        } else if (v instanceof Vector vec) {
            out = new float[vec.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) vec.apply(i);
            }
        } else {
            scala.collection.Seq<?> seq = r.getSeq(index);
            out = new float[seq.length()];
            for (int i = 0; i < out.length; i++) {
                Object e = seq.apply(i);
                if (e == null) {
                    throw bad(partition, row, "has a null at index " + i);
                }
                out[i] = ((Number) e).floatValue();
            }
        }
        if (width > 0 && out.length != width) {
            throw bad(partition, row, "has " + out.length + " values, expected " + width);
        }
        for (int i = 0; i < out.length; i++) {
            if (!Float.isFinite(out[i])) {
                throw bad(partition, row, "has " + out[i] + " at index " + i + ", expected finite values");
            }
        }
        return out;
    }

    private IllegalArgumentException bad(int partition, long row, String what) {
        return new IllegalArgumentException("features column '" + name + "', row " + row + " of partition "
                + partition + ": " + what);
    }

    String name() {
        return name;
    }

    /**
     * The rows of partition {@code partition} whose features are at {@code index}, read as checked float
     * arrays of length {@code width} (0: the first row's length); {@link #nextRow()} and
     * {@link #values(Row)} serve a caller that keeps each row beside its values.
     */
    Reader reader(int partition, Iterator<Row> rows, int index, int width) {
        return new Reader(partition, rows, index, width);
    }

    /** One partition's rows, numbered as they are read so that an error names the row. */
    final class Reader implements Iterator<float[]> {
        private final int partition;
        private final Iterator<Row> rows;
        private final int index;
        private int width;
        private long row;

        private Reader(int partition, Iterator<Row> rows, int index, int width) {
            this.partition = partition;
            this.rows = rows;
            this.index = index;
            this.width = width;
        }

        int partition() {
            return partition;
        }

        @Override
        public boolean hasNext() {
            return rows.hasNext();
        }

        @Override
        public float[] next() {
            return values(nextRow());
        }

        /** The next row as it is; {@link #values(Row)} reads its features. */
        Row nextRow() {
            return rows.next();
        }

        /** The features of {@code r}, the row after the last one read, checked. */
        float[] values(Row r) {
            float[] v = FeatureColumn.this.values(r, index, partition, row++, width);
            if (width == 0) {
                width = v.length;
            }
            return v;
        }
    }
}
