package org.ebm4j.cpu.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.ebm4j.cpu.CpuParallel;
import org.ebm4j.cpu.gemm.BlockedSgemm;

/**
 * SGEMM on the Vector API (the only GEMM that imports {@code jdk.incubator.vector}).
 */
public final class VectorSgemm extends BlockedSgemm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final String SHAPE = System.getProperty("ebm.sgemm.kernel", L >= 16 ? "6x4" : "6x2");
    private static final int MR = Integer.parseInt(SHAPE.substring(0, SHAPE.indexOf('x')));
    private static final int NV = Integer.parseInt(SHAPE.substring(SHAPE.indexOf('x') + 1));
    private static final int KIND = MR * 100 + NV;
    private static final int KC = Integer.getInteger("ebm.sgemm.kc", 256);

    public VectorSgemm(CpuParallel parallel) {
        super(parallel, MR, NV * L, KC);
    }

    @Override
    public String name() {
        return "vector";
    }

    @Override
    protected void microKernel(int kc, float[] ap, float[] bp, int bOff, float[] tile) {
        switch (KIND) {
            case 604: kernel6x4(kc, ap, bp, bOff, tile); break;
            case 1202: kernel12x2(kc, ap, bp, bOff, tile); break;
            case 803: kernel8x3(kc, ap, bp, bOff, tile); break;
            case 602: kernel6x2(kc, ap, bp, bOff, tile); break;
            case 404: kernel4x4(kc, ap, bp, bOff, tile); break;
            case 1402: kernel14x2(kc, ap, bp, bOff, tile); break;
            default: throw new IllegalStateException(SHAPE);
        }
    }

    @Override
    protected void storeTile(float[] tile, float[] c, int cOff, int ldc, float alpha, float beta, boolean betaZero) {
        for (int i = 0; i < MR; i++) {
            int t = i * NV * L;
            int o = cOff + i * ldc;
            for (int j = 0; j < NV * L; j += L) {
                FloatVector v = FloatVector.fromArray(S, tile, t + j).mul(alpha);
                if (!betaZero) {
                    v = v.add(FloatVector.fromArray(S, c, o + j).mul(beta));
                }
                v.intoArray(c, o + j);
            }
        }
    }

    /** 6 rows x 4 vectors: 24 accumulators, 4 B vectors and one broadcast of A in registers. */
    private static void kernel6x4(int kc, float[] ap, float[] bp, int bOff, float[] tile) {
        FloatVector zero = FloatVector.zero(S);
        FloatVector c00 = zero, c01 = zero, c02 = zero, c03 = zero;
        FloatVector c10 = zero, c11 = zero, c12 = zero, c13 = zero;
        FloatVector c20 = zero, c21 = zero, c22 = zero, c23 = zero;
        FloatVector c30 = zero, c31 = zero, c32 = zero, c33 = zero;
        FloatVector c40 = zero, c41 = zero, c42 = zero, c43 = zero;
        FloatVector c50 = zero, c51 = zero, c52 = zero, c53 = zero;
        for (int p = 0; p < kc; p++) {
            int bo = bOff + p * 4 * L;
            int ao = p * 6;
            FloatVector b0 = FloatVector.fromArray(S, bp, bo);
            FloatVector b1 = FloatVector.fromArray(S, bp, bo + L);
            FloatVector b2 = FloatVector.fromArray(S, bp, bo + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, bp, bo + 3 * L);
            FloatVector a0 = FloatVector.broadcast(S, ap[ao]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01); c02 = a0.fma(b2, c02); c03 = a0.fma(b3, c03);
            FloatVector a1 = FloatVector.broadcast(S, ap[ao + 1]);
            c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11); c12 = a1.fma(b2, c12); c13 = a1.fma(b3, c13);
            FloatVector a2 = FloatVector.broadcast(S, ap[ao + 2]);
            c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21); c22 = a2.fma(b2, c22); c23 = a2.fma(b3, c23);
            FloatVector a3 = FloatVector.broadcast(S, ap[ao + 3]);
            c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31); c32 = a3.fma(b2, c32); c33 = a3.fma(b3, c33);
            FloatVector a4 = FloatVector.broadcast(S, ap[ao + 4]);
            c40 = a4.fma(b0, c40); c41 = a4.fma(b1, c41); c42 = a4.fma(b2, c42); c43 = a4.fma(b3, c43);
            FloatVector a5 = FloatVector.broadcast(S, ap[ao + 5]);
            c50 = a5.fma(b0, c50); c51 = a5.fma(b1, c51); c52 = a5.fma(b2, c52); c53 = a5.fma(b3, c53);
        }
        c00.intoArray(tile, 0 * L); c01.intoArray(tile, 1 * L); c02.intoArray(tile, 2 * L); c03.intoArray(tile, 3 * L);
        c10.intoArray(tile, 4 * L); c11.intoArray(tile, 5 * L); c12.intoArray(tile, 6 * L); c13.intoArray(tile, 7 * L);
        c20.intoArray(tile, 8 * L); c21.intoArray(tile, 9 * L); c22.intoArray(tile, 10 * L); c23.intoArray(tile, 11 * L);
        c30.intoArray(tile, 12 * L); c31.intoArray(tile, 13 * L); c32.intoArray(tile, 14 * L); c33.intoArray(tile, 15 * L);
        c40.intoArray(tile, 16 * L); c41.intoArray(tile, 17 * L); c42.intoArray(tile, 18 * L); c43.intoArray(tile, 19 * L);
        c50.intoArray(tile, 20 * L); c51.intoArray(tile, 21 * L); c52.intoArray(tile, 22 * L); c53.intoArray(tile, 23 * L);
    }

    /** 12 rows x 2 vectors: 24 accumulators, 2 B vectors and one broadcast of A in registers. */
    private static void kernel12x2(int kc, float[] ap, float[] bp, int bOff, float[] tile) {
        FloatVector zero = FloatVector.zero(S);
        FloatVector c00 = zero, c01 = zero;
        FloatVector c10 = zero, c11 = zero;
        FloatVector c20 = zero, c21 = zero;
        FloatVector c30 = zero, c31 = zero;
        FloatVector c40 = zero, c41 = zero;
        FloatVector c50 = zero, c51 = zero;
        FloatVector c60 = zero, c61 = zero;
        FloatVector c70 = zero, c71 = zero;
        FloatVector c80 = zero, c81 = zero;
        FloatVector c90 = zero, c91 = zero;
        FloatVector c100 = zero, c101 = zero;
        FloatVector c110 = zero, c111 = zero;
        for (int p = 0; p < kc; p++) {
            int bo = bOff + p * 2 * L;
            int ao = p * 12;
            FloatVector b0 = FloatVector.fromArray(S, bp, bo);
            FloatVector b1 = FloatVector.fromArray(S, bp, bo + L);
            FloatVector a0 = FloatVector.broadcast(S, ap[ao]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, ap[ao + 1]);
            c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, ap[ao + 2]);
            c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, ap[ao + 3]);
            c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(S, ap[ao + 4]);
            c40 = a4.fma(b0, c40); c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(S, ap[ao + 5]);
            c50 = a5.fma(b0, c50); c51 = a5.fma(b1, c51);
            FloatVector a6 = FloatVector.broadcast(S, ap[ao + 6]);
            c60 = a6.fma(b0, c60); c61 = a6.fma(b1, c61);
            FloatVector a7 = FloatVector.broadcast(S, ap[ao + 7]);
            c70 = a7.fma(b0, c70); c71 = a7.fma(b1, c71);
            FloatVector a8 = FloatVector.broadcast(S, ap[ao + 8]);
            c80 = a8.fma(b0, c80); c81 = a8.fma(b1, c81);
            FloatVector a9 = FloatVector.broadcast(S, ap[ao + 9]);
            c90 = a9.fma(b0, c90); c91 = a9.fma(b1, c91);
            FloatVector a10 = FloatVector.broadcast(S, ap[ao + 10]);
            c100 = a10.fma(b0, c100); c101 = a10.fma(b1, c101);
            FloatVector a11 = FloatVector.broadcast(S, ap[ao + 11]);
            c110 = a11.fma(b0, c110); c111 = a11.fma(b1, c111);
        }
        c00.intoArray(tile, 0 * L); c01.intoArray(tile, 1 * L);
        c10.intoArray(tile, 2 * L); c11.intoArray(tile, 3 * L);
        c20.intoArray(tile, 4 * L); c21.intoArray(tile, 5 * L);
        c30.intoArray(tile, 6 * L); c31.intoArray(tile, 7 * L);
        c40.intoArray(tile, 8 * L); c41.intoArray(tile, 9 * L);
        c50.intoArray(tile, 10 * L); c51.intoArray(tile, 11 * L);
        c60.intoArray(tile, 12 * L); c61.intoArray(tile, 13 * L);
        c70.intoArray(tile, 14 * L); c71.intoArray(tile, 15 * L);
        c80.intoArray(tile, 16 * L); c81.intoArray(tile, 17 * L);
        c90.intoArray(tile, 18 * L); c91.intoArray(tile, 19 * L);
        c100.intoArray(tile, 20 * L); c101.intoArray(tile, 21 * L);
        c110.intoArray(tile, 22 * L); c111.intoArray(tile, 23 * L);
    }

    /** 8 rows x 3 vectors: 24 accumulators, 3 B vectors and one broadcast of A in registers. */
    private static void kernel8x3(int kc, float[] ap, float[] bp, int bOff, float[] tile) {
        FloatVector zero = FloatVector.zero(S);
        FloatVector c00 = zero, c01 = zero, c02 = zero;
        FloatVector c10 = zero, c11 = zero, c12 = zero;
        FloatVector c20 = zero, c21 = zero, c22 = zero;
        FloatVector c30 = zero, c31 = zero, c32 = zero;
        FloatVector c40 = zero, c41 = zero, c42 = zero;
        FloatVector c50 = zero, c51 = zero, c52 = zero;
        FloatVector c60 = zero, c61 = zero, c62 = zero;
        FloatVector c70 = zero, c71 = zero, c72 = zero;
        for (int p = 0; p < kc; p++) {
            int bo = bOff + p * 3 * L;
            int ao = p * 8;
            FloatVector b0 = FloatVector.fromArray(S, bp, bo);
            FloatVector b1 = FloatVector.fromArray(S, bp, bo + L);
            FloatVector b2 = FloatVector.fromArray(S, bp, bo + 2 * L);
            FloatVector a0 = FloatVector.broadcast(S, ap[ao]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01); c02 = a0.fma(b2, c02);
            FloatVector a1 = FloatVector.broadcast(S, ap[ao + 1]);
            c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11); c12 = a1.fma(b2, c12);
            FloatVector a2 = FloatVector.broadcast(S, ap[ao + 2]);
            c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21); c22 = a2.fma(b2, c22);
            FloatVector a3 = FloatVector.broadcast(S, ap[ao + 3]);
            c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31); c32 = a3.fma(b2, c32);
            FloatVector a4 = FloatVector.broadcast(S, ap[ao + 4]);
            c40 = a4.fma(b0, c40); c41 = a4.fma(b1, c41); c42 = a4.fma(b2, c42);
            FloatVector a5 = FloatVector.broadcast(S, ap[ao + 5]);
            c50 = a5.fma(b0, c50); c51 = a5.fma(b1, c51); c52 = a5.fma(b2, c52);
            FloatVector a6 = FloatVector.broadcast(S, ap[ao + 6]);
            c60 = a6.fma(b0, c60); c61 = a6.fma(b1, c61); c62 = a6.fma(b2, c62);
            FloatVector a7 = FloatVector.broadcast(S, ap[ao + 7]);
            c70 = a7.fma(b0, c70); c71 = a7.fma(b1, c71); c72 = a7.fma(b2, c72);
        }
        c00.intoArray(tile, 0 * L); c01.intoArray(tile, 1 * L); c02.intoArray(tile, 2 * L);
        c10.intoArray(tile, 3 * L); c11.intoArray(tile, 4 * L); c12.intoArray(tile, 5 * L);
        c20.intoArray(tile, 6 * L); c21.intoArray(tile, 7 * L); c22.intoArray(tile, 8 * L);
        c30.intoArray(tile, 9 * L); c31.intoArray(tile, 10 * L); c32.intoArray(tile, 11 * L);
        c40.intoArray(tile, 12 * L); c41.intoArray(tile, 13 * L); c42.intoArray(tile, 14 * L);
        c50.intoArray(tile, 15 * L); c51.intoArray(tile, 16 * L); c52.intoArray(tile, 17 * L);
        c60.intoArray(tile, 18 * L); c61.intoArray(tile, 19 * L); c62.intoArray(tile, 20 * L);
        c70.intoArray(tile, 21 * L); c71.intoArray(tile, 22 * L); c72.intoArray(tile, 23 * L);
    }

    /** 6 rows x 2 vectors: 12 accumulators, 2 B vectors and one broadcast of A in registers. */
    private static void kernel6x2(int kc, float[] ap, float[] bp, int bOff, float[] tile) {
        FloatVector zero = FloatVector.zero(S);
        FloatVector c00 = zero, c01 = zero;
        FloatVector c10 = zero, c11 = zero;
        FloatVector c20 = zero, c21 = zero;
        FloatVector c30 = zero, c31 = zero;
        FloatVector c40 = zero, c41 = zero;
        FloatVector c50 = zero, c51 = zero;
        for (int p = 0; p < kc; p++) {
            int bo = bOff + p * 2 * L;
            int ao = p * 6;
            FloatVector b0 = FloatVector.fromArray(S, bp, bo);
            FloatVector b1 = FloatVector.fromArray(S, bp, bo + L);
            FloatVector a0 = FloatVector.broadcast(S, ap[ao]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, ap[ao + 1]);
            c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, ap[ao + 2]);
            c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, ap[ao + 3]);
            c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(S, ap[ao + 4]);
            c40 = a4.fma(b0, c40); c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(S, ap[ao + 5]);
            c50 = a5.fma(b0, c50); c51 = a5.fma(b1, c51);
        }
        c00.intoArray(tile, 0 * L); c01.intoArray(tile, 1 * L);
        c10.intoArray(tile, 2 * L); c11.intoArray(tile, 3 * L);
        c20.intoArray(tile, 4 * L); c21.intoArray(tile, 5 * L);
        c30.intoArray(tile, 6 * L); c31.intoArray(tile, 7 * L);
        c40.intoArray(tile, 8 * L); c41.intoArray(tile, 9 * L);
        c50.intoArray(tile, 10 * L); c51.intoArray(tile, 11 * L);
    }

    /** 4 rows x 4 vectors: 16 accumulators, 4 B vectors and one broadcast of A in registers. */
    private static void kernel4x4(int kc, float[] ap, float[] bp, int bOff, float[] tile) {
        FloatVector zero = FloatVector.zero(S);
        FloatVector c00 = zero, c01 = zero, c02 = zero, c03 = zero;
        FloatVector c10 = zero, c11 = zero, c12 = zero, c13 = zero;
        FloatVector c20 = zero, c21 = zero, c22 = zero, c23 = zero;
        FloatVector c30 = zero, c31 = zero, c32 = zero, c33 = zero;
        for (int p = 0; p < kc; p++) {
            int bo = bOff + p * 4 * L;
            int ao = p * 4;
            FloatVector b0 = FloatVector.fromArray(S, bp, bo);
            FloatVector b1 = FloatVector.fromArray(S, bp, bo + L);
            FloatVector b2 = FloatVector.fromArray(S, bp, bo + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, bp, bo + 3 * L);
            FloatVector a0 = FloatVector.broadcast(S, ap[ao]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01); c02 = a0.fma(b2, c02); c03 = a0.fma(b3, c03);
            FloatVector a1 = FloatVector.broadcast(S, ap[ao + 1]);
            c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11); c12 = a1.fma(b2, c12); c13 = a1.fma(b3, c13);
            FloatVector a2 = FloatVector.broadcast(S, ap[ao + 2]);
            c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21); c22 = a2.fma(b2, c22); c23 = a2.fma(b3, c23);
            FloatVector a3 = FloatVector.broadcast(S, ap[ao + 3]);
            c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31); c32 = a3.fma(b2, c32); c33 = a3.fma(b3, c33);
        }
        c00.intoArray(tile, 0 * L); c01.intoArray(tile, 1 * L); c02.intoArray(tile, 2 * L); c03.intoArray(tile, 3 * L);
        c10.intoArray(tile, 4 * L); c11.intoArray(tile, 5 * L); c12.intoArray(tile, 6 * L); c13.intoArray(tile, 7 * L);
        c20.intoArray(tile, 8 * L); c21.intoArray(tile, 9 * L); c22.intoArray(tile, 10 * L); c23.intoArray(tile, 11 * L);
        c30.intoArray(tile, 12 * L); c31.intoArray(tile, 13 * L); c32.intoArray(tile, 14 * L); c33.intoArray(tile, 15 * L);
    }

    /** 14 rows x 2 vectors: 28 accumulators, 2 B vectors and one broadcast of A in registers. */
    private static void kernel14x2(int kc, float[] ap, float[] bp, int bOff, float[] tile) {
        FloatVector zero = FloatVector.zero(S);
        FloatVector c00 = zero, c01 = zero;
        FloatVector c10 = zero, c11 = zero;
        FloatVector c20 = zero, c21 = zero;
        FloatVector c30 = zero, c31 = zero;
        FloatVector c40 = zero, c41 = zero;
        FloatVector c50 = zero, c51 = zero;
        FloatVector c60 = zero, c61 = zero;
        FloatVector c70 = zero, c71 = zero;
        FloatVector c80 = zero, c81 = zero;
        FloatVector c90 = zero, c91 = zero;
        FloatVector c100 = zero, c101 = zero;
        FloatVector c110 = zero, c111 = zero;
        FloatVector c120 = zero, c121 = zero;
        FloatVector c130 = zero, c131 = zero;
        for (int p = 0; p < kc; p++) {
            int bo = bOff + p * 2 * L;
            int ao = p * 14;
            FloatVector b0 = FloatVector.fromArray(S, bp, bo);
            FloatVector b1 = FloatVector.fromArray(S, bp, bo + L);
            FloatVector a0 = FloatVector.broadcast(S, ap[ao]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, ap[ao + 1]);
            c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, ap[ao + 2]);
            c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, ap[ao + 3]);
            c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(S, ap[ao + 4]);
            c40 = a4.fma(b0, c40); c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(S, ap[ao + 5]);
            c50 = a5.fma(b0, c50); c51 = a5.fma(b1, c51);
            FloatVector a6 = FloatVector.broadcast(S, ap[ao + 6]);
            c60 = a6.fma(b0, c60); c61 = a6.fma(b1, c61);
            FloatVector a7 = FloatVector.broadcast(S, ap[ao + 7]);
            c70 = a7.fma(b0, c70); c71 = a7.fma(b1, c71);
            FloatVector a8 = FloatVector.broadcast(S, ap[ao + 8]);
            c80 = a8.fma(b0, c80); c81 = a8.fma(b1, c81);
            FloatVector a9 = FloatVector.broadcast(S, ap[ao + 9]);
            c90 = a9.fma(b0, c90); c91 = a9.fma(b1, c91);
            FloatVector a10 = FloatVector.broadcast(S, ap[ao + 10]);
            c100 = a10.fma(b0, c100); c101 = a10.fma(b1, c101);
            FloatVector a11 = FloatVector.broadcast(S, ap[ao + 11]);
            c110 = a11.fma(b0, c110); c111 = a11.fma(b1, c111);
            FloatVector a12 = FloatVector.broadcast(S, ap[ao + 12]);
            c120 = a12.fma(b0, c120); c121 = a12.fma(b1, c121);
            FloatVector a13 = FloatVector.broadcast(S, ap[ao + 13]);
            c130 = a13.fma(b0, c130); c131 = a13.fma(b1, c131);
        }
        c00.intoArray(tile, 0 * L); c01.intoArray(tile, 1 * L);
        c10.intoArray(tile, 2 * L); c11.intoArray(tile, 3 * L);
        c20.intoArray(tile, 4 * L); c21.intoArray(tile, 5 * L);
        c30.intoArray(tile, 6 * L); c31.intoArray(tile, 7 * L);
        c40.intoArray(tile, 8 * L); c41.intoArray(tile, 9 * L);
        c50.intoArray(tile, 10 * L); c51.intoArray(tile, 11 * L);
        c60.intoArray(tile, 12 * L); c61.intoArray(tile, 13 * L);
        c70.intoArray(tile, 14 * L); c71.intoArray(tile, 15 * L);
        c80.intoArray(tile, 16 * L); c81.intoArray(tile, 17 * L);
        c90.intoArray(tile, 18 * L); c91.intoArray(tile, 19 * L);
        c100.intoArray(tile, 20 * L); c101.intoArray(tile, 21 * L);
        c110.intoArray(tile, 22 * L); c111.intoArray(tile, 23 * L);
        c120.intoArray(tile, 24 * L); c121.intoArray(tile, 25 * L);
        c130.intoArray(tile, 26 * L); c131.intoArray(tile, 27 * L);
    }
}
