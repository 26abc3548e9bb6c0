package org.ebm4j.rbm;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ebm4j.data.Binarization;
import org.ebm4j.data.Standardization;
import org.ebm4j.io.ArrayArchive;
import org.ebm4j.io.ModelFile;
import org.ebm4j.io.ModelFileContent;
import org.ebm4j.io.ModelFormatException;
import org.ebm4j.io.NamedArray;
import org.ebm4j.io.NpzWriter;
import org.ebm4j.io.SafetensorsWriter;

/**
 * An RBM as stored in a {@link ModelFile}: metadata {@code model=rbm}, {@code rbm.visible_type},
 * {@code rbm.visible}, {@code rbm.hidden}, {@code rbm.binarization} plus free-form entries (the
 * provenance, {@code provenance.*}); tensors {@code W} ({@code nv x nh}), {@code vbias}
 * ({@code 1 x nv}), {@code hbias} ({@code 1 x nh}) and, for models trained on standardized data,
 * {@code standardize.mean} and {@code standardize.std} ({@code 1 x nv}); and optionally
 * {@code data.visible_mean} ({@code 1 x nv}), the training data's per-visible means, which AIS uses
 * for its base-rate model and sampling for its starting states; for a model trained with centering,
 * {@code centering.visible_offset} ({@code 1 x nv}) and {@code centering.hidden_offset} ({@code 1 x nh})
 * (the parameters are stored in the ordinary form, see {@link CenteredParameters}).
 *
 * @param parameters      the weights and biases
 * @param metadata        every metadata entry (including the ones this class writes itself)
 * @param standardization the column standardization the model applies to its data, or null
 * @param visibleMeans    the training data's per-visible means (after binarization or
 *                        standardization), or null
 * @param binarization    how the model binarizes its data (after standardization)
 * @param centering       the offsets of a model trained with centering, or null
 */
public record RbmModelFile(RbmParameters parameters, Map<String, String> metadata, Standardization standardization,
                           float[] visibleMeans, Binarization binarization, CenteringOffsets centering)
        implements ModelFileContent {
    public static final String MODEL_KIND = "rbm";

    public RbmModelFile {
        metadata = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(metadata));
        if (binarization == null) {
            binarization = Binarization.none();
        }
        if (visibleMeans != null && visibleMeans.length != parameters.visible()) {
            throw new IllegalArgumentException("visible means must have " + parameters.visible() + " values, found "
                    + visibleMeans.length);
        }
        if (centering != null && (centering.visible().length != parameters.visible()
                || centering.hidden().length != parameters.hidden())) {
            throw new IllegalArgumentException("centering offsets must have " + parameters.visible() + " and "
                    + parameters.hidden() + " values, found " + centering.visible().length + " and "
                    + centering.hidden().length);
        }
    }

    /** Without centering offsets. */
    public RbmModelFile(RbmParameters parameters, Map<String, String> metadata, Standardization standardization,
                        float[] visibleMeans, Binarization binarization) {
        this(parameters, metadata, standardization, visibleMeans, binarization, null);
    }

    /** Bare parameters: no preprocessing, no training means. */
    public RbmModelFile(RbmParameters parameters, Map<String, String> metadata) {
        this(parameters, metadata, null, null, null, null);
    }

    @Override
    public ModelFile toModelFile() {
        ModelFile f = new ModelFile();
        Map<String, String> m = new LinkedHashMap<>(metadata);
        m.put("model", MODEL_KIND);
        m.put("rbm.visible_type", parameters.visibleType().id());
        m.put("rbm.visible", Integer.toString(parameters.visible()));
        m.put("rbm.hidden", Integer.toString(parameters.hidden()));
        m.put("rbm.binarization", binarization.toString());
        f.putMetadata(m);
        int nv = parameters.visible();
        int nh = parameters.hidden();
        f.putTensor("W", nv, nh, parameters.weights());
        f.putTensor("vbias", 1, nv, parameters.visibleBias());
        f.putTensor("hbias", 1, nh, parameters.hiddenBias());
        if (standardization != null) {
            f.putTensor("standardize.mean", 1, nv, standardization.mean());
            f.putTensor("standardize.std", 1, nv, standardization.std());
        }
        if (visibleMeans != null) {
            f.putTensor("data.visible_mean", 1, nv, visibleMeans);
        }
        if (centering != null) {
            f.putTensor("centering.visible_offset", 1, nv, centering.visible());
            f.putTensor("centering.hidden_offset", 1, nh, centering.hidden());
        }
        return f;
    }

    public static RbmModelFile read(Path path) throws IOException {
        return from(ModelFile.read(path), path.toString());
    }

    /** Interprets a model file as an RBM; errors name {@code source}. */
    public static RbmModelFile from(ModelFile f, String source) throws ModelFormatException {
        f.requireModel(MODEL_KIND, "an RBM", source);
        VisibleType type = f.parse("rbm.visible_type", VisibleType::parse, "RBM", source);
        int nv = f.parse("rbm.visible", Integer::parseInt, "RBM", source);
        int nh = f.parse("rbm.hidden", Integer::parseInt, "RBM", source);
        if (nv <= 0 || nh <= 0) {
            throw new ModelFormatException(source + ": RBM shape " + nv + "x" + nh + " must be positive");
        }
        float[] w = f.tensor("W", nv, nh, source).data();
        float[] b = f.tensor("vbias", 1, nv, source).data();
        float[] c = f.tensor("hbias", 1, nh, source).data();
        Standardization st = null;
        if (f.tensors().containsKey("standardize.mean")) {
            try {
                st = new Standardization(f.tensor("standardize.mean", 1, nv, source).data(),
                        f.tensor("standardize.std", 1, nv, source).data());
            } catch (IllegalArgumentException e) {
                throw new ModelFormatException(source + ": bad standardization tensors: " + e.getMessage());
            }
        }
        float[] means = f.tensors().containsKey("data.visible_mean")
                ? f.tensor("data.visible_mean", 1, nv, source).data() : null;
        // Files written before the model carried its preprocessing name it data.binarize.
        String binSpec = f.metadata().getOrDefault("rbm.binarization", f.metadata().getOrDefault("data.binarize", "none"));
        Binarization bin;
        try {
            bin = Binarization.parse(binSpec, 0L);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(source + ": malformed RBM binarization: " + e.getMessage());
        }
        CenteringOffsets centering = f.tensors().containsKey("centering.visible_offset")
                ? new CenteringOffsets(f.tensor("centering.visible_offset", 1, nv, source).data(),
                        f.tensor("centering.hidden_offset", 1, nh, source).data()) : null;
        return new RbmModelFile(new RbmParameters(type, nv, nh, w, b, c), f.metadata(), st, means, bin, centering);
    }

    /**
     * Exports {@code W} ({@code nv x nh}), {@code vbias} ({@code nv}), {@code hbias} ({@code nh})
     * and, for standardized models, {@code standardize_mean} and {@code standardize_std}
     * ({@code nv}) as float32 arrays, and the metadata (the visible type as
     * {@code rbm.visible_type}) as UTF-8 JSON in the uint8 array {@code metadata_json}, to a
     * {@code .npz} that {@code numpy.load(path, allow_pickle=False)} reads ({@link NpzWriter}).
     */
    public void exportNpz(Path path) throws IOException {
        ArrayArchive.NPZ.write(path, exportArrays(), exportMetadata("npz"));
    }

    /**
     * Exports the arrays of {@link #exportNpz} under the same names and shapes, and the same
     * metadata as {@code __metadata__}, to a {@code .safetensors} file ({@link SafetensorsWriter}).
     */
    public void exportSafetensors(Path path) throws IOException {
        ArrayArchive.SAFETENSORS.write(path, exportArrays(), exportMetadata("safetensors"));
    }

    private List<NamedArray> exportArrays() {
        int nv = parameters.visible();
        List<NamedArray> arrays = new ArrayList<>(List.of(
                new NamedArray("W", new int[] {nv, parameters.hidden()}, parameters.weights()),
                new NamedArray("vbias", new int[] {nv}, parameters.visibleBias()),
                new NamedArray("hbias", new int[] {parameters.hidden()}, parameters.hiddenBias())));
        if (standardization != null) {
            arrays.add(new NamedArray("standardize_mean", new int[] {nv}, standardization.mean()));
            arrays.add(new NamedArray("standardize_std", new int[] {nv}, standardization.std()));
        }
        return arrays;
    }

    private Map<String, String> exportMetadata(String format) {
        Map<String, String> m = new LinkedHashMap<>(toModelFile().metadata());
        m.put("format", "ebm4j rbm " + format + " export, model file version " + ModelFile.VERSION);
        return m;
    }
}
