package org.ebm4j.dbn;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ebm4j.data.Standardization;
import org.ebm4j.io.ModelFile;
import org.ebm4j.io.ModelFileContent;
import org.ebm4j.io.ModelFormatException;
import org.ebm4j.rbm.RbmParameters;
import org.ebm4j.rbm.VisibleType;

/**
 * A DBN as stored in a {@link ModelFile} (the same CRC'd binary format as RBM files, so bad
 * magic, versions, CRCs and truncation are reported the same way): metadata {@code model=dbn},
 * {@code dbn.sizes} (e.g. {@code 784,500,500,2000}), {@code dbn.visible_type},
 * {@code dbn.pretrained_layers}, {@code dbn.classes} (0 without a classifier) plus free-form entries;
 * tensors {@code layer<i>.W} ({@code n_i x n_{i+1}}), {@code layer<i>.vbias}, {@code layer<i>.hbias}
 * for every RBM, and for a fine-tuned model {@code net<i>.W}, {@code net<i>.b} for every layer of the
 * unrolled classifier (the last one {@code top x classes}); optionally {@code data.visible_mean} and, for
 * Gaussian visibles trained on standardized data, {@code standardize.mean} and {@code standardize.std}.
 *
 * @param stack            every RBM's parameters, bottom first
 * @param pretrainedLayers how many of them are trained (the rest are not yet)
 * @param netWeights       the classifier's weights per layer, or null without one
 * @param netBiases        the classifier's biases per layer, or null
 * @param classes          number of classes, 0 without a classifier
 * @param visibleMeans     the training data's per-visible means (after standardization), or null
 * @param standardization  the data transform the model expects (Gaussian visibles), or null
 * @param metadata         every metadata entry
 */
public record DbnModelFile(List<RbmParameters> stack, int pretrainedLayers, float[][] netWeights, float[][] netBiases,
                           int classes, float[] visibleMeans, Standardization standardization,
                           Map<String, String> metadata) implements ModelFileContent {
    public static final String MODEL_KIND = "dbn";

    public DbnModelFile {
        stack = List.copyOf(stack);
        metadata = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(metadata));
        if ((netWeights == null) != (classes == 0)) {
            throw new IllegalArgumentException("a classifier needs classes > 0 and its weights, found classes=" + classes);
        }
    }

    public int[] sizes() {
        return Dbn.sizes(stack.get(0).visible(), stack.size(), i -> stack.get(i).hidden());
    }

    public boolean hasClassifier() {
        return classes > 0;
    }

    static String join(int[] sizes) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < sizes.length; i++) {
            sb.append(i > 0 ? "," : "").append(sizes[i]);
        }
        return sb.toString();
    }

    @Override
    public ModelFile toModelFile() {
        ModelFile f = new ModelFile();
        Map<String, String> m = new LinkedHashMap<>(metadata);
        m.put("model", MODEL_KIND);
        m.put("dbn.sizes", join(sizes()));
        m.put("dbn.visible_type", stack.get(0).visibleType().id());
        m.put("dbn.pretrained_layers", Integer.toString(pretrainedLayers));
        m.put("dbn.classes", Integer.toString(classes));
        f.putMetadata(m);
        for (int i = 0; i < stack.size(); i++) {
            RbmParameters p = stack.get(i);
            f.putTensor("layer" + i + ".W", p.visible(), p.hidden(), p.weights());
            f.putTensor("layer" + i + ".vbias", 1, p.visible(), p.visibleBias());
            f.putTensor("layer" + i + ".hbias", 1, p.hidden(), p.hiddenBias());
        }
        if (hasClassifier()) {
            putNetwork(f, netSizes(), netWeights, netBiases);
        }
        if (visibleMeans != null) {
            f.putTensor("data.visible_mean", 1, stack.get(0).visible(), visibleMeans);
        }
        if (standardization != null) {
            f.putTensor("standardize.mean", 1, stack.get(0).visible(), standardization.mean());
            f.putTensor("standardize.std", 1, stack.get(0).visible(), standardization.std());
        }
        return f;
    }

    /** Reads {@link #join} back, checked by {@link Dbn#checkSizes}. */
    private static int[] parseSizes(String spec) {
        String[] parts = spec.split(",");
        int[] sizes = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            sizes[i] = Integer.parseInt(parts[i].trim());
        }
        Dbn.checkSizes(sizes);
        return sizes;
    }

    /** The classifier's layer sizes: the DBN's sizes, then the classes. */
    public int[] netSizes() {
        int[] s = sizes();
        int[] n = new int[s.length + 1];
        System.arraycopy(s, 0, n, 0, s.length);
        n[s.length] = classes;
        return n;
    }

    /**
     * Puts a feed-forward {@link Classifier}'s parameters into {@code f}: {@code net<i>.W}
     * ({@code sizes[i] x sizes[i+1]}) and {@code net<i>.b} ({@code 1 x sizes[i+1]}) for every layer, as
     * {@link Classifier#hostWeights()} and {@link Classifier#hostBiases()} give them. Every model file
     * that carries a classifier stores it so, and {@link #network} reads it back.
     */
    public static void putNetwork(ModelFile f, int[] sizes, float[][] weights, float[][] biases) {
        for (int i = 0; i + 1 < sizes.length; i++) {
            f.putTensor("net" + i + ".W", sizes[i], sizes[i + 1], weights[i]);
            f.putTensor("net" + i + ".b", 1, sizes[i + 1], biases[i]);
        }
    }

    /**
     * The classifier {@link #putNetwork} stored, layer sizes {@code sizes} (inputs first, classes last):
     * {@code {weights, biases}}, each one array per layer; a missing or misshapen tensor is an error
     * naming {@code source}.
     */
    public static float[][][] network(ModelFile f, int[] sizes, String source) throws ModelFormatException {
        int l = sizes.length - 1;
        float[][] w = new float[l][];
        float[][] b = new float[l][];
        for (int i = 0; i < l; i++) {
            w[i] = f.tensor("net" + i + ".W", sizes[i], sizes[i + 1], source).data();
            b[i] = f.tensor("net" + i + ".b", 1, sizes[i + 1], source).data();
        }
        return new float[][][] {w, b};
    }

    public static DbnModelFile read(Path path) throws IOException {
        return from(ModelFile.read(path), path.toString());
    }

    /** Interprets a model file as a DBN; errors name {@code source}. */
    public static DbnModelFile from(ModelFile f, String source) throws ModelFormatException {
        f.requireModel(MODEL_KIND, "a DBN", source);
        int[] sizes = f.parse("dbn.sizes", DbnModelFile::parseSizes, "DBN", source);
        VisibleType type = f.parse("dbn.visible_type", VisibleType::parse, "DBN", source);
        int pretrained = f.parse("dbn.pretrained_layers", Integer::parseInt, "DBN", source);
        int classes = f.parse("dbn.classes", Integer::parseInt, "DBN", source);
        if (pretrained < 0 || pretrained > sizes.length - 1 || classes < 0) {
            throw new ModelFormatException(source + ": DBN metadata out of range: pretrained_layers=" + pretrained
                    + " of " + (sizes.length - 1) + ", classes=" + classes);
        }
        List<RbmParameters> stack = new ArrayList<>();
        for (int i = 0; i + 1 < sizes.length; i++) {
            int nv = sizes[i];
            int nh = sizes[i + 1];
            stack.add(new RbmParameters(i == 0 ? type : VisibleType.BERNOULLI, nv, nh,
                    f.tensor("layer" + i + ".W", nv, nh, source).data(),
                    f.tensor("layer" + i + ".vbias", 1, nv, source).data(),
                    f.tensor("layer" + i + ".hbias", 1, nh, source).data()));
        }
        float[][] w = null;
        float[][] b = null;
        if (classes > 0) {
            int[] net = java.util.Arrays.copyOf(sizes, sizes.length + 1);
            net[sizes.length] = classes;
            float[][][] wb = network(f, net, source);
            w = wb[0];
            b = wb[1];
        }
        float[] means = f.tensors().containsKey("data.visible_mean")
                ? f.tensor("data.visible_mean", 1, sizes[0], source).data() : null;
        Standardization st = null;
        if (f.tensors().containsKey("standardize.mean")) {
            try {
                st = new Standardization(f.tensor("standardize.mean", 1, sizes[0], source).data(),
                        f.tensor("standardize.std", 1, sizes[0], source).data());
            } catch (IllegalArgumentException e) {
                throw new ModelFormatException(source + ": bad standardization tensors: " + e.getMessage());
            }
        }
        return new DbnModelFile(stack, pretrained, w, b, classes, means, st, f.metadata());
    }
}
