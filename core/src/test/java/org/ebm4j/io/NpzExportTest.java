package org.ebm4j.io;

import org.ebm4j.rbm.RbmModelFile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.ebm4j.rbm.RbmParameters;
import org.ebm4j.rbm.VisibleType;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpzExportTest {
    @TempDir
    Path dir;

    private Path export(RbmParameters p) throws IOException {
        Path f = dir.resolve("model.npz");
        new RbmModelFile(p, Map.of("train.method", "pcd", "note", "quote \" and \\ back")).exportNpz(f);
        return f;
    }

    /** Parses the archive the way NumPy's format module does: magic, version, header dict, raw data. */
    @Test
    void npyEntriesFollowTheFormatSpec() throws IOException {
        RbmParameters p = ModelFileTest.sampleParameters(VisibleType.BERNOULLI, 5, 3);
        Map<String, byte[]> entries = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(export(p)))) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                entries.put(e.getName(), zip.readAllBytes());
            }
        }
        assertEquals(List.of("W.npy", "hbias.npy", "metadata.npy", "vbias.npy", "visible_type.npy"),
                entries.keySet().stream().sorted().toList());
        byte[] w = entries.get("W.npy");
        assertEquals((byte) 0x93, w[0]);
        assertEquals("NUMPY", new String(w, 1, 5, StandardCharsets.US_ASCII));
        assertEquals(1, w[6]);
        assertEquals(0, w[7]);
        int hlen = (w[8] & 0xFF) | ((w[9] & 0xFF) << 8);
        assertEquals(0, (10 + hlen) % 64, "data is 64-byte aligned");
        String header = new String(w, 10, hlen, StandardCharsets.US_ASCII);
        assertTrue(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (5, 3), }"), header);
        assertTrue(header.endsWith("\n"));
        assertEquals(10 + hlen + 4 * 15, w.length);
        ByteBuffer bb = ByteBuffer.wrap(w, 10 + hlen, 60).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 15; i++) {
            assertEquals(Float.floatToRawIntBits(p.weights()[i]), Float.floatToRawIntBits(bb.getFloat()));
        }
        byte[] vb = entries.get("vbias.npy");
        String vh = new String(vb, 10, (vb[8] & 0xFF) | ((vb[9] & 0xFF) << 8), StandardCharsets.US_ASCII);
        assertTrue(vh.contains("'shape': (5,)"), vh);
        byte[] vt = entries.get("visible_type.npy");
        String th = new String(vt, 10, (vt[8] & 0xFF) | ((vt[9] & 0xFF) << 8), StandardCharsets.US_ASCII);
        assertTrue(th.contains("'descr': '<U9'") && th.contains("'shape': ()"), th);
    }

    /** The real check: NumPy itself loads the archive without pickle and sees the same numbers. */
    @Test
    void numpyLoadsItWithoutPickle() throws Exception {
        Assumptions.assumeTrue(pythonWithNumpy(), "python3 with numpy is not installed");
        RbmParameters p = ModelFileTest.sampleParameters(VisibleType.GAUSSIAN, 6, 4);
        Path f = export(p);
        Path expected = dir.resolve("expected.txt");
        StringBuilder sb = new StringBuilder();
        for (float v : p.weights()) {
            sb.append(Float.floatToRawIntBits(v)).append('\n');
        }
        Files.writeString(expected, sb);
        String script = String.join("\n",
                "import json, sys, numpy as np",
                "z = np.load(sys.argv[1], allow_pickle=False)",
                "W = z['W']; assert W.dtype == np.float32 and W.shape == (6, 4), (W.dtype, W.shape)",
                "bits = [int(x) for x in open(sys.argv[2]).read().split()]",
                "got = W.reshape(-1).view(np.int32).tolist()",
                "assert got == bits, (got[:5], bits[:5])",
                "assert z['vbias'].shape == (6,) and z['hbias'].shape == (4,)",
                "assert float(z['vbias'][2]) == -0.5, z['vbias']",
                "assert str(z['visible_type']) == 'gaussian'",
                "m = json.loads(str(z['metadata']))",
                "assert m['train.method'] == 'pcd' and m['rbm.hidden'] == '4' and m['note'] == 'quote \" and \\\\ back', m",
                "print('npz ok')");
        Process proc = new ProcessBuilder("python3", "-c", script, f.toString(), expected.toString())
                .redirectErrorStream(true).start();
        String out;
        try (InputStream in = proc.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(proc.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, proc.exitValue(), out);
        assertTrue(out.contains("npz ok"), out);
    }

    static boolean pythonWithNumpy() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import numpy").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
