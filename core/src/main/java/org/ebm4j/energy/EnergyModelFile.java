package org.ebm4j.energy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ebm4j.io.ModelFile;
import org.ebm4j.io.ModelFormatException;
import org.ebm4j.io.Provenance;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;

/**
 * Saves and loads {@link EnergyNetwork} and {@link UniGaussExperts} models in the ebm4j model file
 * ({@link ModelFile}: magic, version, CRC-checked metadata and tensors, atomic writes). Metadata:
 * {@code model} = {@code energy-network} or {@code energy-unigauss}, plus the model's settings under
 * {@code energy.*} (for a network: {@code energy.visible}, {@code energy.visiblePrecision},
 * {@code energy.layers} such as {@code 64:softplus,16:fas}; for the experts: {@code energy.visible},
 * {@code energy.experts}, {@code energy.envelope}). Tensors: the parameters by name ({@code W1},
 * {@code b1}, {@code s1}, ...; {@code c}, {@code mu}, {@code rho}), each checked against the shape the
 * settings imply.
 *
 * <p>A trained {@link EnergyModel} adds its {@link DataMoments} (tensor {@code data_mean}, {@code 1 x d};
 * metadata {@code energy.data_spread}) and its {@link Provenance} ({@code provenance.*}).
 * Files without them (written by {@link #save} for a bare energy function) still load as a
 * {@link TrainableEnergy}.
 */
public final class EnergyModelFile {
    static final String PREFIX = "energy.";
    static final String DATA_MEAN = "data_mean";
    static final String DATA_SPREAD = PREFIX + "data_spread";

    private EnergyModelFile() {
    }

    /** The {@code model} entry of a file holding {@code model}: {@code energy-network} or {@code energy-unigauss}. */
    public static String kind(TrainableEnergy model) {
        return "energy-" + model.kind();
    }

    /** Writes {@code model} atomically. */
    public static void save(TrainableEnergy model, Path path) throws IOException {
        toModelFile(model).write(path);
    }

    public static void write(TrainableEnergy model, OutputStream out) throws IOException {
        toModelFile(model).writeTo(out);
    }

    /**
     * The energy function alone as a model file: {@code model} = {@link #kind}, its settings under
     * {@code energy.*} and its parameters by name. A model that contains an energy function (a conditional
     * energy's joint network) starts its own file from this one and records the kind under its own key.
     */
    public static ModelFile toModelFile(TrainableEnergy model) {
        ModelFile f = new ModelFile();
        f.putMetadata("model", kind(model));
        for (Map.Entry<String, String> e : config(model).entrySet()) {
            f.putMetadata(PREFIX + e.getKey(), e.getValue());
        }
        List<Tensor> params = model.parameters();
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i);
            f.putTensor(model.parameterNames().get(i), p.rows(), p.cols(), p.toArray());
        }
        return f;
    }

    /**
     * Puts the parameters that {@link #toModelFile(TrainableEnergy)} wrote of {@code model} (or a file
     * started from it) back into {@code model}: the restore of a training run's rollback and early stop.
     */
    public static void restoreParameters(TrainableEnergy model, ModelFile f) {
        for (int i = 0; i < model.parameters().size(); i++) {
            model.parameters().get(i).copyFrom(f.tensors().get(model.parameterNames().get(i)).data());
        }
        model.parametersChanged();
    }

    /** The file of a trained model: its energy function, the data moments it keeps and its provenance. */
    static ModelFile toModelFile(TrainableEnergy model, DataMoments moments, Provenance provenance) {
        ModelFile f = toModelFile(model);
        f.putTensor(DATA_MEAN, 1, model.dimension(), moments.meanAsFloats());
        f.putMetadata(DATA_SPREAD, Double.toString(moments.spread()));
        f.putMetadata(provenance.toMetadata());
        return f;
    }

    /** The data moments kept by {@link #toModelFile(TrainableEnergy, DataMoments, Provenance)}. */
    static DataMoments moments(ModelFile f, int d, String source) throws ModelFormatException {
        if (!f.metadata().containsKey(DATA_SPREAD)) {
            throw new ModelFormatException(source + ": holds an energy function without the data moments of a trained"
                    + " EnergyModel (no '" + DATA_SPREAD + "'); read it with EnergyModelFile.load as a bare energy");
        }
        float[] mean = f.tensor(DATA_MEAN, 1, d, source).data();
        double[] m = new double[d];
        for (int j = 0; j < d; j++) {
            m[j] = mean[j];
        }
        try {
            return new DataMoments(m, Double.parseDouble(f.metadata().get(DATA_SPREAD)));
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(source + ": malformed '" + DATA_SPREAD + "': " + e.getMessage());
        }
    }

    /**
     * @throws IOException when the file is unreadable, damaged, or holds something else (the message
     *     names the file and what was wrong)
     */
    public static TrainableEnergy load(Backend backend, Path path) throws IOException {
        return from(backend, ModelFile.read(path), path.toString());
    }

    /** Reads a model of {@code size} bytes from {@code in}; {@code source} names it in errors. */
    public static TrainableEnergy read(Backend backend, InputStream in, long size, String source) throws IOException {
        return from(backend, ModelFile.read(in, size, source), source);
    }

    static TrainableEnergy from(Backend backend, ModelFile f, String source) throws ModelFormatException {
        return embedded(backend, f, "model", source);
    }

    /**
     * The energy function stored in {@code f} by {@link #toModelFile(TrainableEnergy)}, its kind read from
     * the metadata entry {@code kindKey} (for a file of another model that embeds an energy function).
     */
    public static TrainableEnergy embedded(Backend backend, ModelFile f, String kindKey, String source)
            throws ModelFormatException {
        String kind = f.require(kindKey, source);
        Map<String, String> config = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : f.metadata().entrySet()) {
            if (e.getKey().startsWith(PREFIX)) {
                config.put(e.getKey().substring(PREFIX.length()), e.getValue());
            }
        }
        TrainableEnergy model;
        try {
            model = switch (kind) {
                case "energy-" + EnergyNetwork.KIND -> EnergyNetwork.fromConfig(backend, config);
                case "energy-" + UniGaussExperts.KIND -> UniGaussExperts.fromConfig(backend, config);
                default -> throw new ModelFormatException(source + ": holds a '" + kind + "' model, expected an energy"
                        + " model ('energy-" + EnergyNetwork.KIND + "' or 'energy-" + UniGaussExperts.KIND + "')");
            };
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(source + ": malformed energy model settings: " + e.getMessage());
        }
        try {
            List<Tensor> params = model.parameters();
            for (int i = 0; i < params.size(); i++) {
                Tensor p = params.get(i);
                p.copyFrom(f.tensor(model.parameterNames().get(i), p.rows(), p.cols(), source).data());
            }
        } catch (ModelFormatException | RuntimeException e) {
            model.close();
            throw e;
        }
        model.parametersChanged();
        return model;
    }

    private static Map<String, String> config(TrainableEnergy model) {
        if (model instanceof ParametricEnergy<?> p) {
            return p.config();
        }
        throw new IllegalArgumentException("cannot save an energy model of kind '" + model.kind()
                + "' (known: " + EnergyNetwork.KIND + ", " + UniGaussExperts.KIND + ")");
    }
}
