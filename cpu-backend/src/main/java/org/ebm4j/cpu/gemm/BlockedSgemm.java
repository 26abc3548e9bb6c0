package org.ebm4j.cpu.gemm;

import java.util.function.IntConsumer;
import org.ebm4j.cpu.CpuParallel;

/**
 * The Goto/BLIS loop nest shared by the CPU SGEMM implementations; a subclass supplies only the
 * register-tiled micro-kernel ({@link #microKernel}) and its tile shape.
 *
 * <p>Loop nest, for each column block of C (all of {@code n} unless {@code k * n} is huge):
 * <ol>
 *   <li>{@code op(B)} is packed once per call into {@code kc x nr} panels (row {@code p} of a panel
 *       holds {@code nr} consecutive columns), grouped by depth block, zero-padded to a multiple of
 *       {@code nr} columns. The transpose is absorbed here: no full copy of either operand is made
 *       beyond this packed block, which is reused across calls.</li>
 *   <li>For each depth block {@code kc} (k split evenly into blocks of at most {@code kcMax}), for
 *       each {@code mr}-row strip of C, the strip of {@code op(A)} is packed into an
 *       {@code mr x kc} micro-panel ({@code mr} values per depth step, contiguous); it stays in L1
 *       while the micro-kernel sweeps the depth block of packed B (which stays in L2) panel by
 *       panel.</li>
 *   <li>The first depth block applies {@code beta} (not reading C when it is 0); later blocks add.
 *       Tiles cut by the edges of C are computed whole on zero-padded panels into a per-thread
 *       scratch tile, then merged with the same arithmetic as full tiles.</li>
 * </ol>
 * Work is split over {@code mr}-row strips of C or over {@code nr}-column panels, whichever leaves
 * the busiest thread the least work. Every element of C is computed by the same sequence of float
 * operations whatever the split, so results are bit-identical for any thread count.
 *
 * <p>NaN and infinities propagate as in IEEE arithmetic (also when {@code alpha == 0}); the only
 * exception is {@code beta == 0}, where C is not read. An instance holds reusable packing buffers and
 * serializes concurrent calls.
 */
public abstract class BlockedSgemm implements Sgemm {
    /** Cap on the packed-B buffer, in floats (8 MiB): wider products are done in column blocks. */
    private static final int PACKED_B_CAP = 1 << 21;
    /** Below this many flops per thread, splitting costs more than it saves. */
    private static final long MIN_FLOPS_PER_TASK = 1L << 20;

    /** Rows and columns of the micro-kernel's register tile, and the largest depth block. */
    protected final int mr;
    protected final int nr;
    protected final int kcMax;

    private final CpuParallel parallel;
    private final float[][] aPanels;
    private final float[][] tiles;
    private float[] bPacked = new float[0];

    private final IntConsumer packTask = this::packTask;
    private final IntConsumer computeTask = this::computeTask;

    // The call in progress (calls are serialized); read by the worker tasks.
    private boolean transA;
    private boolean transB;
    private int m;
    private int n;
    private int k;
    private float alpha;
    private float beta;
    private float[] a;
    private int lda;
    private float[] b;
    private int ldb;
    private float[] c;
    private int ldc;
    private int kc;
    private int jc;
    private int ncb;
    private int blockPanels;
    private int mPanels;
    private int tasks;
    private boolean splitRows;

    /**
     * @param parallel the pool to split work over
     * @param mr       rows of the register tile
     * @param nr       columns of the register tile
     * @param kcMax    the largest depth block (chosen so a depth block of packed B fits in L2)
     */
    protected BlockedSgemm(CpuParallel parallel, int mr, int nr, int kcMax) {
        if (mr < 1 || nr < 1 || kcMax < 1) {
            throw new IllegalArgumentException("tile " + mr + "x" + nr + " and depth block " + kcMax + " must be positive");
        }
        this.parallel = parallel;
        this.mr = mr;
        this.nr = nr;
        this.kcMax = kcMax;
        int t = parallel.threads();
        this.aPanels = new float[t][mr * kcMax];
        this.tiles = new float[t][mr * nr];
    }

    /**
     * Computes one {@code mr x nr} tile of products over depth {@code kc}:
     * {@code tile[i*nr + j] = sum_p ap[p*mr + i] * bp[bOff + p*nr + j]}. Accumulating into registers
     * and storing raw keeps this method small enough for every JIT tier (a kernel that also did the
     * alpha/beta update of C overflowed C1's register limit and stayed interpreted-slow).
     */
    protected abstract void microKernel(int kc, float[] ap, float[] bp, int bOff, float[] tile);

    /**
     * {@code c[cOff + i*ldc + j] = alpha * tile[i*nr + j] + beta * c[...]} for a whole tile, without
     * reading C when {@code betaZero}. Must round like {@link #mergeTile} (product, product, sum; no
     * fused multiply-add), so that edge tiles and whole tiles agree bit for bit.
     */
    protected void storeTile(float[] tile, float[] c, int cOff, int ldc, float alpha, float beta, boolean betaZero) {
        mergeTile(tile, mr, nr, c, cOff, ldc, alpha, beta, betaZero);
    }

    @Override
    public final synchronized void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                         float[] a, int lda, float[] b, int ldb, float beta, float[] c, int ldc) {
        if (m <= 0 || n <= 0) {
            return;
        }
        if (k <= 0) {
            scaleC(m, n, beta, c, ldc);
            return;
        }
        this.transA = transA;
        this.transB = transB;
        this.m = m;
        this.n = n;
        this.k = k;
        this.alpha = alpha;
        this.beta = beta;
        this.a = a;
        this.lda = lda;
        this.b = b;
        this.ldb = ldb;
        this.c = c;
        this.ldc = ldc;
        try {
            int blocks = (k + kcMax - 1) / kcMax;
            this.kc = (k + blocks - 1) / blocks;
            this.mPanels = (m + mr - 1) / mr;
            int nc = Math.max(nr, PACKED_B_CAP / k / nr * nr);
            int need = k * Math.min(roundUp(n, nr), nc);
            if (bPacked.length < need) {
                bPacked = new float[need];
            }
            int threads = parallel.threads();
            long blockFlops = 2L * m * k * Math.min(n, nc);
            int maxTasks = (int) Math.max(1, Math.min(threads, blockFlops / MIN_FLOPS_PER_TASK));
            for (int j = 0; j < n; j += nc) {
                this.jc = j;
                this.ncb = Math.min(nc, n - j);
                this.blockPanels = (ncb + nr - 1) / nr;
                long rowCost = (long) ceilDiv(mPanels, maxTasks) * mr * blockPanels * nr;
                long colCost = (long) ceilDiv(blockPanels, maxTasks) * nr * mPanels * mr;
                this.splitRows = rowCost <= colCost;
                this.tasks = Math.min(maxTasks, splitRows ? mPanels : blockPanels);
                if (splitRows && tasks > 1) {
                    parallel.forEach(Math.min(tasks, blockPanels), packTask);
                }
                parallel.forEach(tasks, computeTask);
            }
        } finally {
            this.a = null;
            this.b = null;
            this.c = null;
        }
    }

    /** Phase one of a row split: task {@code t} of {@code min(tasks, blockPanels)} packs its share of B. */
    private void packTask(int t) {
        int parts = Math.min(tasks, blockPanels);
        packB(share(blockPanels, parts, t), share(blockPanels, parts, t + 1));
    }

    private void computeTask(int t) {
        if (splitRows) {
            if (tasks == 1) {
                packB(0, blockPanels);
            }
            compute(t, share(mPanels, tasks, t), share(mPanels, tasks, t + 1), 0, blockPanels);
        } else {
            int q0 = share(blockPanels, tasks, t);
            int q1 = share(blockPanels, tasks, t + 1);
            packB(q0, q1);
            compute(t, 0, mPanels, q0, q1);
        }
    }

    /** Row strips {@code [mp0, mp1)} times column panels {@code [q0, q1)} of the current block. */
    private void compute(int t, int mp0, int mp1, int q0, int q1) {
        float[] ap = aPanels[t];
        float[] tile = tiles[t];
        float[] bp = bPacked;
        for (int p0 = 0; p0 < k; p0 += kc) {
            int depth = Math.min(kc, k - p0);
            boolean first = p0 == 0;
            float bta = first ? beta : 1f;
            boolean betaZero = first && beta == 0f;
            int base = p0 * blockPanels * nr;
            for (int mp = mp0; mp < mp1; mp++) {
                int i0 = mp * mr;
                int rows = Math.min(mr, m - i0);
                packA(ap, i0, rows, p0, depth);
                for (int q = q0; q < q1; q++) {
                    int j0 = jc + q * nr;
                    int cols = Math.min(nr, jc + ncb - j0);
                    int bOff = base + q * depth * nr;
                    int cOff = i0 * ldc + j0;
                    microKernel(depth, ap, bp, bOff, tile);
                    if (rows == mr && cols == nr) {
                        storeTile(tile, c, cOff, ldc, alpha, bta, betaZero);
                    } else {
                        mergeTile(tile, rows, cols, c, cOff, ldc, alpha, bta, betaZero);
                    }
                }
            }
        }
    }

    /** The scalar form of {@link #storeTile} for the {@code rows x cols} corner of a tile. */
    private void mergeTile(float[] tile, int rows, int cols, float[] c, int cOff, int ldc, float alpha, float bta,
                           boolean betaZero) {
        for (int i = 0; i < rows; i++) {
            int t = i * nr;
            int o = cOff + i * ldc;
            if (betaZero) {
                for (int j = 0; j < cols; j++) {
                    c[o + j] = alpha * tile[t + j];
                }
            } else {
                for (int j = 0; j < cols; j++) {
                    c[o + j] = alpha * tile[t + j] + bta * c[o + j];
                }
            }
        }
    }

    /** {@code ap[p*mr + i] = op(A)[i0 + i][p0 + p]}, zero for {@code i >= rows}. */
    private void packA(float[] ap, int i0, int rows, int p0, int depth) {
        float[] src = a;
        int r = mr;
        if (transA) {
            // op(A)[i][p] = A[p][i]: each depth step reads `rows` consecutive floats.
            for (int p = 0; p < depth; p++) {
                int s = (p0 + p) * lda + i0;
                int d = p * r;
                for (int i = 0; i < rows; i++) {
                    ap[d + i] = src[s + i];
                }
                for (int i = rows; i < r; i++) {
                    ap[d + i] = 0f;
                }
            }
        } else {
            for (int i = 0; i < rows; i++) {
                int s = (i0 + i) * lda + p0;
                for (int p = 0; p < depth; p++) {
                    ap[p * r + i] = src[s + p];
                }
            }
            for (int i = rows; i < r; i++) {
                for (int p = 0; p < depth; p++) {
                    ap[p * r + i] = 0f;
                }
            }
        }
    }

    /** Packs column panels {@code [q0, q1)} of the current column block, every depth block. */
    private void packB(int q0, int q1) {
        float[] src = b;
        float[] dst = bPacked;
        int w = nr;
        for (int p0 = 0; p0 < k; p0 += kc) {
            int depth = Math.min(kc, k - p0);
            int base = p0 * blockPanels * w;
            for (int q = q0; q < q1; q++) {
                int j0 = jc + q * w;
                int cols = Math.min(w, jc + ncb - j0);
                int d0 = base + q * depth * w;
                if (transB) {
                    // op(B)[p][j] = B[j][p]. Eight stored rows at a time, read along the depth, so
                    // each packed row gets eight contiguous floats per pass instead of one float
                    // per cache line (a panel is larger than L1).
                    for (int jj = 0; jj < cols; jj += 8) {
                        int je = Math.min(cols, jj + 8);
                        for (int p = 0; p < depth; p++) {
                            int d = d0 + p * w;
                            int s = (j0 + jj) * ldb + p0 + p;
                            for (int j = jj; j < je; j++, s += ldb) {
                                dst[d + j] = src[s];
                            }
                        }
                    }
                } else {
                    for (int p = 0; p < depth; p++) {
                        System.arraycopy(src, (p0 + p) * ldb + j0, dst, d0 + p * w, cols);
                    }
                }
                if (cols < w) {
                    for (int p = 0; p < depth; p++) {
                        int d = d0 + p * w;
                        for (int j = cols; j < w; j++) {
                            dst[d + j] = 0f;
                        }
                    }
                }
            }
        }
    }

    /** C = beta * C for an empty inner dimension; C is not read when beta is 0. */
    private static void scaleC(int m, int n, float beta, float[] c, int ldc) {
        for (int i = 0; i < m; i++) {
            int o = i * ldc;
            for (int j = 0; j < n; j++) {
                c[o + j] = beta == 0f ? 0f : beta * c[o + j];
            }
        }
    }

    private static int share(int units, int parts, int t) {
        return (int) ((long) units * t / parts);
    }

    private static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }

    private static int roundUp(int x, int to) {
        return ceilDiv(x, to) * to;
    }
}
