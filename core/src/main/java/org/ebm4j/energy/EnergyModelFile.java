package org.ebm4j.energy;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;

/**
 * Saves and loads {@link EnergyNetwork} and {@link UniGaussExperts} models. The format (big-endian,
 * {@link DataOutputStream}):
 * <pre>
 *   UTF "ebm4j-energy", int version (1), UTF kind,
 *   int settings count, then (UTF key, UTF value) pairs,
 *   int parameter count, then per parameter: UTF name, int rows, int cols, rows*cols floats
 * </pre>
 * A model is rebuilt from its kind and settings, then every parameter is checked against the name and
 * shape the settings imply.
 */
public final class EnergyModelFile {
    static final String MAGIC = "ebm4j-energy";
    static final int VERSION = 1;

    private EnergyModelFile() {
    }

    public static void save(TrainableEnergy model, Path path) throws IOException {
        try (OutputStream os = Files.newOutputStream(path)) {
            write(model, os);
        }
    }

    public static void write(TrainableEnergy model, OutputStream os) throws IOException {
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(os));
        out.writeUTF(MAGIC);
        out.writeInt(VERSION);
        out.writeUTF(model.kind());
        Map<String, String> config = config(model);
        out.writeInt(config.size());
        for (Map.Entry<String, String> e : config.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeUTF(e.getValue());
        }
        List<Tensor> params = model.parameters();
        out.writeInt(params.size());
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i);
            out.writeUTF(model.parameterNames().get(i));
            out.writeInt(p.rows());
            out.writeInt(p.cols());
            for (float v : p.toArray()) {
                out.writeFloat(v);
            }
        }
        out.flush();
    }

    /**
     * @throws IOException when the file is unreadable, not an ebm4j energy model, or inconsistent (the
     *     message names the file and what was wrong)
     */
    public static TrainableEnergy load(Backend backend, Path path) throws IOException {
        try (InputStream is = Files.newInputStream(path)) {
            return read(backend, is, path.toString());
        }
    }

    public static TrainableEnergy read(Backend backend, InputStream is, String source) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(is));
        try {
            String magic;
            try {
                magic = in.readUTF();
            } catch (IOException e) {
                throw new IOException(source + " is not an ebm4j energy model (it does not start with '" + MAGIC + "')");
            }
            if (!MAGIC.equals(magic)) {
                throw new IOException(source + " is not an ebm4j energy model (it does not start with '" + MAGIC + "')");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IOException(source + " has energy model format version " + version + "; this build reads "
                        + VERSION);
            }
            String kind = in.readUTF();
            int count = in.readInt();
            if (count < 0 || count > 1000) {
                throw new IOException(source + " is corrupt: " + count + " settings");
            }
            Map<String, String> config = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                config.put(in.readUTF(), in.readUTF());
            }
            TrainableEnergy model;
            try {
                model = switch (kind) {
                    case EnergyNetwork.KIND -> EnergyNetwork.fromConfig(backend, config);
                    case UniGaussExperts.KIND -> UniGaussExperts.fromConfig(backend, config);
                    default -> throw new IOException(source + " holds an energy model of unknown kind '" + kind
                            + "' (known: " + EnergyNetwork.KIND + ", " + UniGaussExperts.KIND + ")");
                };
            } catch (IllegalArgumentException e) {
                throw new IOException(source + ": bad model settings: " + e.getMessage(), e);
            }
            try {
                readParameters(model, in, source);
            } catch (IOException | RuntimeException e) {
                model.close();
                throw e;
            }
            model.parametersChanged();
            return model;
        } catch (EOFException e) {
            throw new IOException(source + " ends early: the model file is truncated", e);
        }
    }

    private static void readParameters(TrainableEnergy model, DataInputStream in, String source) throws IOException {
        List<Tensor> params = model.parameters();
        int count = in.readInt();
        if (count != params.size()) {
            throw new IOException(source + " has " + count + " parameters but a " + model.kind() + " with its settings has "
                    + params.size());
        }
        for (int i = 0; i < count; i++) {
            String name = in.readUTF();
            int rows = in.readInt();
            int cols = in.readInt();
            Tensor p = params.get(i);
            String expected = model.parameterNames().get(i);
            if (!expected.equals(name) || rows != p.rows() || cols != p.cols()) {
                throw new IOException(source + ": parameter " + i + " is " + name + " " + rows + "x" + cols
                        + " but the model expects " + expected + " " + p.shape());
            }
            float[] v = new float[rows * cols];
            for (int j = 0; j < v.length; j++) {
                v[j] = in.readFloat();
            }
            p.copyFrom(v);
        }
    }

    private static Map<String, String> config(TrainableEnergy model) {
        if (model instanceof EnergyNetwork n) {
            return n.config();
        }
        if (model instanceof UniGaussExperts u) {
            return u.config();
        }
        throw new IllegalArgumentException("cannot save an energy model of kind '" + model.kind()
                + "' (known: " + EnergyNetwork.KIND + ", " + UniGaussExperts.KIND + ")");
    }
}
