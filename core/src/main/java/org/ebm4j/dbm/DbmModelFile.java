package org.ebm4j.dbm;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ebm4j.data.Binarization;
import org.ebm4j.io.ModelFile;
import org.ebm4j.io.ModelFileContent;
import org.ebm4j.io.ModelFormatException;

/**
 * A DBM as stored in a {@link ModelFile} (the format of every ebm4j model, so bad magic, versions,
 * CRCs and truncation are reported the same way): metadata {@code model=dbm}, {@code dbm.sizes}
 * (e.g. {@code 784,500,1000}), {@code dbm.binarization} plus free-form entries (the provenance);
 * tensors {@code W<l>} ({@code sizes[l-1] x sizes[l]}, {@code l = 1..depth}), {@code b<l>}
 * ({@code 1 x sizes[l]}, {@code l = 0..depth}) and optionally {@code data.visible_mean}
 * ({@code 1 x sizes[0]}), the training data's means, which AIS uses for its base rates; for a model
 * trained with centering, {@code centering.offset<l>} ({@code 1 x sizes[l]}, {@code l = 0..depth}), the
 * offsets (the parameters are stored in the ordinary form, see {@link DbmCenteredParameters}).
 *
 * @param parameters   the weights and biases
 * @param binarization how the model binarizes its data
 * @param visibleMeans the training data's per-visible means (after binarization), or null
 * @param metadata     every metadata entry (including the ones this class writes itself)
 * @param centering    the offsets of a model trained with centering (one vector per layer), or null
 */
public record DbmModelFile(DbmParameters parameters, Binarization binarization, float[] visibleMeans,
                           Map<String, String> metadata, List<float[]> centering) implements ModelFileContent {
    public static final String MODEL_KIND = "dbm";

    public DbmModelFile {
        metadata = Map.copyOf(metadata);
        if (binarization == null) {
            binarization = Binarization.none();
        }
        if (visibleMeans != null && visibleMeans.length != parameters.sizes()[0]) {
            throw new IllegalArgumentException("visible means must have " + parameters.sizes()[0] + " values, found "
                    + visibleMeans.length);
        }
        if (centering != null) {
            centering = DbmCenteredParameters.checkOffsets(parameters.sizes(), centering);
        }
    }

    /** Without centering offsets. */
    public DbmModelFile(DbmParameters parameters, Binarization binarization, float[] visibleMeans,
                        Map<String, String> metadata) {
        this(parameters, binarization, visibleMeans, metadata, null);
    }

    @Override
    public ModelFile toModelFile() {
        ModelFile f = new ModelFile();
        Map<String, String> m = new LinkedHashMap<>(metadata);
        int[] sizes = parameters.sizes();
        m.put("model", MODEL_KIND);
        m.put("dbm.sizes", join(sizes));
        m.put("dbm.binarization", binarization.toString());
        f.putMetadata(m);
        for (int l = 0; l < sizes.length; l++) {
            if (l > 0) {
                f.putTensor("W" + l, sizes[l - 1], sizes[l], parameters.weights().get(l - 1));
            }
            f.putTensor("b" + l, 1, sizes[l], parameters.biases().get(l));
            if (centering != null) {
                f.putTensor("centering.offset" + l, 1, sizes[l], centering.get(l));
            }
        }
        if (visibleMeans != null) {
            f.putTensor("data.visible_mean", 1, sizes[0], visibleMeans);
        }
        return f;
    }

    static String join(int[] sizes) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < sizes.length; i++) {
            sb.append(i > 0 ? "," : "").append(sizes[i]);
        }
        return sb.toString();
    }

    private static int[] parseSizes(String spec) {
        String[] parts = spec.split(",");
        int[] sizes = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            sizes[i] = Integer.parseInt(parts[i].trim());
        }
        return DbmParameters.checkSizes(sizes);
    }

    public static DbmModelFile read(Path path) throws IOException {
        return from(ModelFile.read(path), path.toString());
    }

    /** Interprets a model file as a DBM; errors name {@code source}. */
    public static DbmModelFile from(ModelFile f, String source) throws ModelFormatException {
        return from(f, source, MODEL_KIND, "a DBM");
    }

    /** Interprets the DBM part of a model file of kind {@code kind} ({@code what} in words); errors name {@code source}. */
    static DbmModelFile from(ModelFile f, String source, String kind, String what) throws ModelFormatException {
        f.requireModel(kind, what, source);
        int[] sizes = f.parse("dbm.sizes", DbmModelFile::parseSizes, "DBM", source);
        Binarization bin = f.parse("dbm.binarization", v -> Binarization.parse(v, 0L), "DBM", source);
        List<float[]> w = new ArrayList<>();
        List<float[]> b = new ArrayList<>();
        boolean centered = f.tensors().containsKey("centering.offset0");
        List<float[]> offsets = centered ? new ArrayList<>() : null;
        for (int l = 0; l < sizes.length; l++) {
            if (l > 0) {
                w.add(f.tensor("W" + l, sizes[l - 1], sizes[l], source).data());
            }
            b.add(f.tensor("b" + l, 1, sizes[l], source).data());
            if (centered) {
                offsets.add(f.tensor("centering.offset" + l, 1, sizes[l], source).data());
            }
        }
        float[] means = f.tensors().containsKey("data.visible_mean")
                ? f.tensor("data.visible_mean", 1, sizes[0], source).data() : null;
        return new DbmModelFile(new DbmParameters(sizes, w, b), bin, means, f.metadata(), offsets);
    }
}
