package org.ebm4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ebm4j.data.Standardization;
import org.ebm4j.rbm.RbmModelFile;
import org.ebm4j.rbm.RbmParameters;
import org.ebm4j.rbm.VisibleType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The RBM's {@code .npz} and safetensors exports: the array names Python code uses, and the metadata. */
class RbmExportTest {
    @TempDir
    Path dir;

    private static RbmModelFile model(VisibleType type, int nv, int nh, boolean standardized) {
        RbmParameters p = ModelFileTest.sampleParameters(type, nv, nh);
        float[] mean = new float[nv];
        float[] std = new float[nv];
        for (int i = 0; i < nv; i++) {
            mean[i] = 0.1f * i;
            std[i] = 1f + i;
        }
        return new RbmModelFile(p, Map.of("train.method", "pcd", "note", "quote \" and \\ back"),
                standardized ? new Standardization(mean, std) : null, null, null);
    }

    /** The arrays both exports must hold, in order: the names and shapes of the first .npz export. */
    private static List<NamedArray> expectedArrays(RbmModelFile m) {
        RbmParameters p = m.parameters();
        int nv = p.visible();
        List<NamedArray> a = new ArrayList<>(List.of(
                new NamedArray("W", new int[] {nv, p.hidden()}, p.weights()),
                new NamedArray("vbias", new int[] {nv}, p.visibleBias()),
                new NamedArray("hbias", new int[] {p.hidden()}, p.hiddenBias())));
        if (m.standardization() != null) {
            a.add(new NamedArray("standardize_mean", new int[] {nv}, m.standardization().mean()));
            a.add(new NamedArray("standardize_std", new int[] {nv}, m.standardization().std()));
        }
        return a;
    }

    private static Map<String, String> expectedMetadata(RbmModelFile m, String format) {
        Map<String, String> meta = new LinkedHashMap<>(m.toModelFile().metadata());
        meta.put("format", "ebm4j rbm " + format + " export, model file version " + ModelFile.VERSION);
        return meta;
    }

    @Test
    void npzHoldsTheRbmArraysUnderTheirNamesAndTheMetadataAsJson() throws IOException {
        for (RbmModelFile m : List.of(model(VisibleType.BERNOULLI, 5, 3, false), model(VisibleType.GAUSSIAN, 4, 2, true))) {
            Path f = dir.resolve("model.npz");
            m.exportNpz(f);
            Map<String, NpzReader.Npy> read = NpzReader.read(f);
            List<NamedArray> expected = expectedArrays(m);
            List<String> names = new ArrayList<>(expected.stream().map(NamedArray::name).toList());
            names.add("metadata_json");
            assertEquals(names, List.copyOf(read.keySet()));
            for (NamedArray a : expected) {
                ExportFixtures.assertSameArray(a, read.get(a.name()).shape(), read.get(a.name()).floats());
            }
            Map<String, String> meta = NpzWriterTest.metadataOf(read.get("metadata_json"));
            assertEquals(expectedMetadata(m, "npz"), meta);
            assertEquals(m.parameters().visibleType().id(), meta.get("rbm.visible_type"));
        }
    }

    @Test
    void safetensorsHoldsTheSameArraysAndMetadata() throws IOException {
        RbmModelFile m = model(VisibleType.GAUSSIAN, 6, 4, true);
        Path f = dir.resolve("model.safetensors");
        m.exportSafetensors(f);
        SafetensorsReader.Contents c = SafetensorsReader.read(f);
        List<NamedArray> expected = expectedArrays(m);
        assertEquals(expected.stream().map(NamedArray::name).toList(), List.copyOf(c.tensors().keySet()));
        for (NamedArray a : expected) {
            ExportFixtures.assertSameArray(a, c.tensors().get(a.name()).shape(), c.tensors().get(a.name()).values());
        }
        assertEquals(expectedMetadata(m, "safetensors"), c.metadata());
    }

    /** NumPy loads the export without pickle the way docs/rbm.md shows. */
    @Test
    void numpyLoadsItWithoutPickle() throws Exception {
        Python.assumeModules("numpy");
        RbmModelFile m = model(VisibleType.GAUSSIAN, 6, 4, false);
        Path f = dir.resolve("model.npz");
        m.exportNpz(f);
        ExportFixtures.pythonCheck(dir, f, expectedArrays(m), expectedMetadata(m, "npz"),
                "z = np.load(sys.argv[1], allow_pickle=False)",
                "W, b, c = z['W'], z['vbias'], z['hbias']",
                "assert W.shape == (6, 4) and b.shape == (6,) and c.shape == (4,), (W.shape, b.shape, c.shape)",
                "assert float(b[2]) == -0.5, b",
                "meta = json.loads(z['metadata_json'].tobytes())",
                "assert meta['rbm.visible_type'] == 'gaussian' and meta['note'] == 'quote \" and \\\\ back', meta",
                "arrays = {k: z[k] for k in z.files if k != 'metadata_json'}");
    }
}
