package org.ebm4j.tempering;

import java.util.HashMap;
import java.util.Map;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;

/**
 * The inverse temperature of every row of a stack of replicas, held as one {@code rows x width}
 * tensor per layer width so that scaling a layer's pre-activations by their row's {@code beta} is one
 * elementwise multiplication on the backend. Rows {@code r * chains .. (r + 1) * chains - 1} are at
 * {@code betas[r]}.
 */
public final class RowBetas implements AutoCloseable {
    private final Backend backend;
    private final int rows;
    private final Map<Integer, Tensor> byWidth = new HashMap<>();

    RowBetas(Backend backend, double[] betas, int chains, int[] widths) {
        this.backend = backend;
        this.rows = betas.length * chains;
        for (int w : widths) {
            if (byWidth.containsKey(w)) {
                continue;
            }
            float[] m = new float[rows * w];
            for (int r = 0; r < rows; r++) {
                java.util.Arrays.fill(m, r * w, (r + 1) * w, (float) betas[r / chains]);
            }
            byWidth.put(w, backend.fromArray(m, rows, w));
        }
    }

    /** {@code x[r, :] *= beta(r)} in place; {@code x} is {@code rows x width} of one of the layers. */
    public void scale(Tensor x) {
        Tensor b = byWidth.get(x.cols());
        if (b == null || x.rows() != rows) {
            throw new IllegalArgumentException("pre-activations " + x.shape() + " match no layer of the " + rows
                    + " tempered rows (widths " + byWidth.keySet() + ")");
        }
        backend.mul(x, b, x);
    }

    @Override
    public void close() {
        byWidth.values().forEach(Tensor::close);
    }
}
