package org.ebm4j.cpu.internal.gemm;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.ebm4j.cpu.internal.CpuParallel;

/**
 * The Goto/BLIS loop nest shared by the CPU SGEMM implementations; a subclass supplies only the
 * register-tiled micro-kernel ({@link #microKernel}) and its tile shape.
 *
 * <p>Loop nest, for each column block of C (all of {@code n} unless {@code k * n} exceeds 2M floats):
 * <ol>
 *   <li>{@code alpha * op(B)} is packed once per call into {@code kc x nr} panels (row {@code p} of
 *       a panel holds {@code nr} consecutive columns), grouped by depth block and zero-padded to a
 *       multiple of {@code nr} columns, in a buffer reused across calls. The transpose of B and the
 *       scaling by alpha are absorbed here. For short products ({@code m <= 256}) with an
 *       untransposed B and {@code alpha == 1}, whole panels are read in place instead (packing
 *       would cost more than it saves); only a narrow last panel is packed.</li>
 *   <li>For each depth block (k split evenly into blocks of at most {@code kcMax}, from {@link GemmBlocking}), for each group
 *       of panels whose depth block fits in L2, for each {@code mr}-row strip of C, the
 *       micro-kernel sweeps the group's panels. It reads {@code op(A)} in place through a row
 *       stride and a depth step, which covers both transpositions without a copy, and the strip
 *       stays in L1 meanwhile; only a strip cut by the bottom edge of C is packed (zero-padded)
 *       into an {@code mr x kc} micro-panel.</li>
 *   <li>Accumulators start from C (or from zero in the first depth block when {@code beta == 0},
 *       which never reads C); any other beta scales C once beforehand. Tiles cut by the right or
 *       bottom edge of C are computed in a per-thread scratch tile with the same arithmetic.</li>
 * </ol>
 * Work is split over {@code mr}-row strips of C or over {@code nr}-column panels, whichever leaves
 * the busiest thread the least work (near-ties: rows for a tall C, columns for a short one), handed
 * out in chunks from a shared counter. Every element of C is computed by the same sequence of float
 * operations whichever thread computes it, so results are bit-identical for any thread count and any
 * scheduling.
 *
 * <p>NaN and infinities propagate as in IEEE arithmetic (also when {@code alpha == 0}); the only
 * exception is {@code beta == 0}, where C is not read. Because alpha scales B while it is packed, a
 * product can overflow where {@code alpha * (A B)} would not (only for {@code |alpha * b|} beyond
 * {@code Float.MAX_VALUE}). No buffer allocation after the first call at a given size: an instance holds
 * its packing buffers and scratch tiles, and serializes concurrent calls.
 */
public abstract class BlockedSgemm implements Sgemm {
    /** Below this many flops per thread, splitting costs more than it saves. */
    private static final long MIN_FLOPS_PER_TASK = 1L << 20;
    /** Smallest chunk of row strips handed out (each chunk sweeps all of packed B once). */
    private static final int MIN_STRIPS_PER_CHUNK = 2;
    /**
     * Up to this many rows of C, an untransposed B with {@code alpha == 1} is read in place instead of
     * packed: packing costs about as much as computing {@code 2 * m} flops per element of B, so it
     * pays only for tall products. Measured on the RBM shapes: reading in place wins by ~20% at
     * m = 100 and loses by ~10% at m = 1000 (strided rows prefetch less well than packed panels).
     */
    private static final int DIRECT_B_MAX_M = 256;

    /** Rows and columns of the micro-kernel's register tile, and the largest depth block. */
    protected final int mr;
    protected final int nr;
    protected final int kcMax;
    private final GemmBlocking blocking;

    private final String name;
    private final CpuParallel parallel;
    private final boolean unitStepA;
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
    private boolean directB;
    private int units;
    private int minChunk;
    private final AtomicInteger nextUnit = new AtomicInteger();
    private final AtomicInteger nextPanel = new AtomicInteger();

    /**
     * @param name     the short name {@link #name()} reports
     * @param parallel the pool to split work over
     * @param mr       rows of the register tile
     * @param nr       columns of the register tile
     * @param blocking the block sizes, usually {@link GemmBlocking#forMachine} of the machine's caches
     */
    protected BlockedSgemm(String name, CpuParallel parallel, int mr, int nr, GemmBlocking blocking) {
        this(name, parallel, mr, nr, blocking, false);
    }

    /**
     * As {@link #BlockedSgemm(String, CpuParallel, int, int, GemmBlocking)}; with {@code unitStepA} the
     * micro-kernel always gets {@code aStep == 1}: an untransposed A is read in place as before, while a
     * transposed A, and any strip cut by the bottom edge of C, is packed row by row into an
     * {@code mr x kc} micro-panel ({@code aRow == kc}). A kernel that takes the depth step of A as the
     * constant 1 indexes A linearly in its loop variable, which lets the JIT hoist A's bounds checks
     * out of the depth loop; packing a transposed strip also turns {@code kc} cache lines touched per
     * strip into {@code mr x kc} contiguous floats. Packing costs one pass over A per L2 group of B
     * panels, a {@code 1/nc} share of the work.
     */
    protected BlockedSgemm(String name, CpuParallel parallel, int mr, int nr, GemmBlocking blocking, boolean unitStepA) {
        if (mr < 1 || nr < 1) {
            throw new IllegalArgumentException("tile " + mr + "x" + nr + " must be positive");
        }
        this.blocking = blocking;
        this.unitStepA = unitStepA;
        this.name = name;
        this.parallel = parallel;
        this.mr = mr;
        this.nr = nr;
        this.kcMax = blocking.kcMax();
        int t = parallel.threads();
        this.aPanels = new float[t][mr * kcMax];
        this.tiles = new float[t][mr * nr];
    }

    /**
     * Updates one {@code mr x nr} tile of C over depth {@code kc}: for {@code i < mr, j < nr},
     * {@code c[cOff + i*ldc + j] = init + sum_p a[aOff + i*aRow + p*aStep] * b[bOff + p*bRow + j]},
     * where {@code init} is that element of C when {@code accumulate}, else 0 (C is then not read),
     * and the sum is accumulated in order of {@code p} starting from {@code init}. Implementations
     * must use one fixed sequence of float operations per element (that is what makes results
     * independent of the thread count and of whether a tile is on an edge).
     *
     * @param aRow  distance in {@code a} between rows {@code i} and {@code i + 1} of the strip
     * @param aStep distance in {@code a} between depth steps {@code p} and {@code p + 1}; always 1
     *              when the instance was made with {@code unitStepA}
     * @param bRow  distance in {@code b} between depth steps: {@code nr} in a packed panel, the
     *              leading dimension when B is read in place
     */
    protected abstract void microKernel(int kc, float[] a, int aOff, int aRow, int aStep, float[] b, int bOff, int bRow,
                                        float[] c, int cOff, int ldc, boolean accumulate);

    /**
     * {@link #microKernel} for a tile of which only the first {@code cols} columns are kept; the
     * others may be left unwritten. An implementation may run a narrower tile here, provided each
     * kept element sees the same operations as in the full kernel.
     */
    protected void edgeKernel(int cols, int kc, float[] a, int aOff, int aRow, int aStep, float[] b, int bOff, int bRow,
                              float[] c, int cOff, int ldc, boolean accumulate) {
        microKernel(kc, a, aOff, aRow, aStep, b, bOff, bRow, c, cOff, ldc, accumulate);
    }

    /** The register tile, rows x columns, and how op(A) reaches it: {@code "6x16, A depth step 1"}. */
    public final String tile() {
        return mr + "x" + nr + (unitStepA ? ", A depth step 1" : ", A in place");
    }

    /** The block sizes this instance runs with. */
    public final GemmBlocking blocking() {
        return blocking;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final synchronized void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                         float[] a, int lda, float[] b, int ldb, float beta, float[] c, int ldc) {
        if (m <= 0 || n <= 0) {
            return;
        }
        if (k <= 0) {
            scaleC(0, m, 0, n, beta, c, ldc);
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
            int nc = Math.max(nr, blocking.packedBCapFloats() / k / nr * nr);
            int need = k * Math.min(roundUp(n, nr), nc);
            if (bPacked.length < need) {
                bPacked = new float[need];
            }
            this.directB = !transB && alpha == 1f && m <= DIRECT_B_MAX_M;
            int threads = parallel.threads();
            long blockFlops = 2L * m * k * Math.min(n, nc);
            int maxTasks = (int) Math.max(1, Math.min(threads, blockFlops / MIN_FLOPS_PER_TASK));
            for (int j = 0; j < n; j += nc) {
                this.jc = j;
                this.ncb = Math.min(nc, n - j);
                this.blockPanels = (ncb + nr - 1) / nr;
                long rowCost = (long) ceilDiv(mPanels, maxTasks) * mr * blockPanels * nr;
                long colCost = (long) ceilDiv(blockPanels, maxTasks) * nr * mPanels * mr;
                // Near-ties go to row strips for a tall C and to column panels for a short one:
                // measured on the RBM shapes (2 threads), 784x100 . 100x500 with A^T runs ~20% faster
                // split by rows (each thread keeps its half of C), 100-row products slightly faster by columns.
                this.splitRows = m > DIRECT_B_MAX_M ? rowCost <= colCost * 5 / 4 : rowCost * 5 / 4 <= colCost;
                this.units = splitRows ? mPanels : blockPanels;
                this.tasks = Math.min(maxTasks, units);
                this.minChunk = splitRows ? MIN_STRIPS_PER_CHUNK : 1;
                nextUnit.set(0);
                nextPanel.set(0);
                if (splitRows && tasks > 1) {
                    if (directB) {
                        packB(0, blockPanels); // only a narrow last panel needs packing
                    } else {
                        parallel.forEach(tasks, packTask);
                    }
                }
                parallel.forEach(tasks, computeTask);
            }
        } finally {
            this.a = null;
            this.b = null;
            this.c = null;
        }
    }

    /** Phase one of a row split: the tasks take column panels of B to pack, one at a time. */
    private void packTask(int t) {
        for (int q; (q = nextPanel.getAndIncrement()) < blockPanels; ) {
            packB(q, q + 1);
        }
    }

    /**
     * The tasks take chunks of row strips (or of column panels) from a shared counter until none
     * are left, so a thread that the OS delays does not hold the other up. Chunks shrink as the
     * work runs out (a share of what is left), so the threads finish close together. Which thread
     * computes a chunk, and where chunks begin, do not change any result.
     */
    private void computeTask(int t) {
        for (int u0; (u0 = claim()) >= 0; ) {
            int u1 = Math.min(units, u0 + chunkSize(u0));
            int mp0 = 0;
            int mp1 = mPanels;
            int q0 = 0;
            int q1 = blockPanels;
            if (splitRows) {
                mp0 = u0;
                mp1 = u1;
                if (tasks == 1) {
                    packB(q0, q1);
                }
            } else {
                q0 = u0;
                q1 = u1;
                packB(q0, q1);
            }
            if (beta != 0f && beta != 1f) {
                scaleC(mp0 * mr, Math.min(m, mp1 * mr), jc + q0 * nr, Math.min(jc + ncb, jc + q1 * nr), beta, c, ldc);
            }
            compute(t, mp0, mp1, q0, q1);
        }
    }

    /** The first unit of the next chunk, or -1 when all are taken. */
    private int claim() {
        while (true) {
            int u0 = nextUnit.get();
            if (u0 >= units) {
                return -1;
            }
            if (nextUnit.compareAndSet(u0, u0 + chunkSize(u0))) {
                return u0;
            }
        }
    }

    private int chunkSize(int u0) {
        return tasks == 1 ? units : Math.max(minChunk, (units - u0) / (2 * tasks));
    }

    /**
     * Row strips {@code [mp0, mp1)} times column panels {@code [q0, q1)} of the current block. The
     * panels are visited in groups whose packed depth block fits in L2, each group swept by every
     * strip before the next group starts.
     */
    private void compute(int t, int mp0, int mp1, int q0, int q1) {
        float[] ap = aPanels[t];
        float[] tile = tiles[t];
        float[] bp = bPacked;
        float[] cc = c;
        int group = Math.max(1, blocking.l2BlockFloats() / (kc * nr));
        for (int p0 = 0; p0 < k; p0 += kc) {
            int depth = Math.min(kc, k - p0);
            boolean accumulate = p0 > 0 || beta != 0f;
            int base = p0 * blockPanels * nr;
            for (int g0 = q0; g0 < q1; g0 += group) {
                int g1 = Math.min(q1, g0 + group);
                for (int mp = mp0; mp < mp1; mp++) {
                    int i0 = mp * mr;
                    int rows = Math.min(mr, m - i0);
                    float[] as = a;
                    int aOff;
                    int aRow;
                    int aStep;
                    if (unitStepA && (rows < mr || transA)) {
                        packARows(ap, i0, rows, p0, depth);
                        as = ap;
                        aOff = 0;
                        aRow = depth;
                        aStep = 1;
                    } else if (rows < mr) {
                        packA(ap, i0, rows, p0, depth);
                        as = ap;
                        aOff = 0;
                        aRow = 1;
                        aStep = mr;
                    } else if (transA) {
                        aOff = p0 * lda + i0;
                        aRow = 1;
                        aStep = lda;
                    } else {
                        aOff = i0 * lda + p0;
                        aRow = lda;
                        aStep = 1;
                    }
                    for (int q = g0; q < g1; q++) {
                        int j0 = jc + q * nr;
                        int cols = Math.min(nr, jc + ncb - j0);
                        int cOff = i0 * ldc + j0;
                        float[] bs = bp;
                        int bOff = base + q * depth * nr;
                        int bRow = nr;
                        if (directB && cols == nr) {
                            bs = b;
                            bOff = p0 * ldb + j0;
                            bRow = ldb;
                        }
                        if (rows == mr && cols == nr) {
                            microKernel(depth, as, aOff, aRow, aStep, bs, bOff, bRow, cc, cOff, ldc, accumulate);
                        } else {
                            edgeTile(depth, as, aOff, aRow, aStep, bs, bOff, bRow, tile, rows, cols, cOff, accumulate);
                        }
                    }
                }
            }
        }
    }

    /** A tile cut by an edge of C: computed whole in scratch, only its {@code rows x cols} corner kept. */
    private void edgeTile(int depth, float[] as, int aOff, int aRow, int aStep, float[] bs, int bOff, int bRow, float[] tile,
                          int rows, int cols, int cOff, boolean accumulate) {
        float[] cc = c;
        int w = nr;
        java.util.Arrays.fill(tile, 0f);
        if (accumulate) {
            for (int i = 0; i < rows; i++) {
                System.arraycopy(cc, cOff + i * ldc, tile, i * w, cols);
            }
        }
        edgeKernel(cols, depth, as, aOff, aRow, aStep, bs, bOff, bRow, tile, 0, w, true);
        for (int i = 0; i < rows; i++) {
            System.arraycopy(tile, i * w, cc, cOff + i * ldc, cols);
        }
    }

    /** {@code ap[i*depth + p] = op(A)[i0 + i][p0 + p]}, zero for {@code i >= rows}. */
    private void packARows(float[] ap, int i0, int rows, int p0, int depth) {
        float[] src = a;
        if (transA) {
            // op(A)[i][p] = A[p][i]: each depth step reads `rows` consecutive floats.
            for (int p = 0; p < depth; p++) {
                int s = (p0 + p) * lda + i0;
                for (int i = 0; i < rows; i++) {
                    ap[i * depth + p] = src[s + i];
                }
            }
        } else {
            for (int i = 0; i < rows; i++) {
                System.arraycopy(src, (i0 + i) * lda + p0, ap, i * depth, depth);
            }
        }
        java.util.Arrays.fill(ap, rows * depth, mr * depth, 0f);
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

    /** Packs {@code alpha * op(B)} for column panels {@code [q0, q1)} of the current block, every depth block. */
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
                if (directB && cols == w) {
                    continue;
                }
                int d0 = base + q * depth * w;
                if (transB) {
                    packPanelTransposed(src, ldb, j0, p0, cols, depth, dst, d0, w);
                } else {
                    for (int p = 0; p < depth; p++) {
                        System.arraycopy(src, (p0 + p) * ldb + j0, dst, d0 + p * w, cols);
                    }
                }
                finishPanel(dst, d0, depth, cols, w, alpha);
            }
        }
    }

    /**
     * {@code dst[d0 + p*w + j] = src[(j0 + j)*ld + p0 + p]}: eight stored rows at a time, read along
     * the depth (eight sequential streams, 32 contiguous bytes per packed row). Unrolled so that the
     * depth loop is the only loop and its bounds checks hoist; about twice as fast as looping over
     * j inside or outside (sixteen rows at a time runs out of registers for the row offsets).
     */
    private static void packPanelTransposed(float[] src, int ld, int j0, int p0, int cols, int depth,
                                            float[] dst, int d0, int w) {
        int jj = 0;
        for (; jj + 8 <= cols; jj += 8) {
            int s0 = (j0 + jj) * ld + p0;
            int dj = d0 + jj;
            for (int p = 0; p < depth; p++) {
                int d = dj + p * w;
                int s = s0 + p;
                dst[d] = src[s];
                dst[d + 1] = src[s + 1 * ld];
                dst[d + 2] = src[s + 2 * ld];
                dst[d + 3] = src[s + 3 * ld];
                dst[d + 4] = src[s + 4 * ld];
                dst[d + 5] = src[s + 5 * ld];
                dst[d + 6] = src[s + 6 * ld];
                dst[d + 7] = src[s + 7 * ld];
            }
        }
        for (; jj < cols; jj++) {
            int s0 = (j0 + jj) * ld + p0;
            for (int p = 0; p < depth; p++) {
                dst[d0 + p * w + jj] = src[s0 + p];
            }
        }
    }

    /** Scales a packed panel's {@code cols} columns by alpha and zeroes its padding columns. */
    private static void finishPanel(float[] dst, int d0, int depth, int cols, int w, float alpha) {
        if (alpha != 1f) {
            for (int p = 0; p < depth; p++) {
                int d = d0 + p * w;
                for (int j = 0; j < cols; j++) {
                    dst[d + j] *= alpha;
                }
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

    /** {@code C[r0..r1) x [c0..c1) *= beta}; with {@code beta == 0} C is set to zero without being read. */
    private static void scaleC(int r0, int r1, int c0, int c1, float beta, float[] c, int ldc) {
        for (int i = r0; i < r1; i++) {
            int o = i * ldc;
            if (beta == 0f) {
                java.util.Arrays.fill(c, o + c0, o + c1, 0f);
            } else {
                for (int j = o + c0; j < o + c1; j++) { // a plain loop, which C2 vectorizes
                    c[j] *= beta;
                }
            }
        }
    }

    private static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }

    private static int roundUp(int x, int to) {
        return ceilDiv(x, to) * to;
    }
}
