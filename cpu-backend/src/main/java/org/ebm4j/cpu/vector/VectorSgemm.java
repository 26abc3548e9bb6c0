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
    protected void microKernel(int kc, float[] a, int aOff, int aRow, int aStep, float[] bp, int bOff,
                               float[] c, int cOff, int ldc, boolean accumulate) {
        switch (KIND) {
            case 604: kernel6x4(kc, a, aOff, aRow, aStep, bp, bOff, c, cOff, ldc, accumulate); break;
            case 1202: kernel12x2(kc, a, aOff, aRow, aStep, bp, bOff, c, cOff, ldc, accumulate); break;
            case 803: kernel8x3(kc, a, aOff, aRow, aStep, bp, bOff, c, cOff, ldc, accumulate); break;
            case 602: kernel6x2(kc, a, aOff, aRow, aStep, bp, bOff, c, cOff, ldc, accumulate); break;
            case 404: kernel4x4(kc, a, aOff, aRow, aStep, bp, bOff, c, cOff, ldc, accumulate); break;
            case 1402: kernel14x2(kc, a, aOff, aRow, aStep, bp, bOff, c, cOff, ldc, accumulate); break;
            case 406: kernel4x6(kc, a, aOff, aRow, aStep, bp, bOff, c, cOff, ldc, accumulate); break;
            case 505: kernel5x5(kc, a, aOff, aRow, aStep, bp, bOff, c, cOff, ldc, accumulate); break;
            default: throw new IllegalStateException(SHAPE);
        }
    }

    /** 6 rows x 4 vectors: 24 accumulators, 4 vectors of B and one broadcast of A in registers. */
    private static void kernel6x4(int kc, float[] a, int aOff, int aRow, int aStep, float[] bp, int bOff,
                                  float[] c, int cOff, int ldc, boolean accumulate) {
        FloatVector c00, c01, c02, c03;
        FloatVector c10, c11, c12, c13;
        FloatVector c20, c21, c22, c23;
        FloatVector c30, c31, c32, c33;
        FloatVector c40, c41, c42, c43;
        FloatVector c50, c51, c52, c53;
        if (accumulate) {
            c00 = FloatVector.fromArray(S, c, cOff); c01 = FloatVector.fromArray(S, c, cOff + L); c02 = FloatVector.fromArray(S, c, cOff + 2 * L); c03 = FloatVector.fromArray(S, c, cOff + 3 * L);
            c10 = FloatVector.fromArray(S, c, cOff + ldc); c11 = FloatVector.fromArray(S, c, cOff + ldc + L); c12 = FloatVector.fromArray(S, c, cOff + ldc + 2 * L); c13 = FloatVector.fromArray(S, c, cOff + ldc + 3 * L);
            c20 = FloatVector.fromArray(S, c, cOff + 2 * ldc); c21 = FloatVector.fromArray(S, c, cOff + 2 * ldc + L); c22 = FloatVector.fromArray(S, c, cOff + 2 * ldc + 2 * L); c23 = FloatVector.fromArray(S, c, cOff + 2 * ldc + 3 * L);
            c30 = FloatVector.fromArray(S, c, cOff + 3 * ldc); c31 = FloatVector.fromArray(S, c, cOff + 3 * ldc + L); c32 = FloatVector.fromArray(S, c, cOff + 3 * ldc + 2 * L); c33 = FloatVector.fromArray(S, c, cOff + 3 * ldc + 3 * L);
            c40 = FloatVector.fromArray(S, c, cOff + 4 * ldc); c41 = FloatVector.fromArray(S, c, cOff + 4 * ldc + L); c42 = FloatVector.fromArray(S, c, cOff + 4 * ldc + 2 * L); c43 = FloatVector.fromArray(S, c, cOff + 4 * ldc + 3 * L);
            c50 = FloatVector.fromArray(S, c, cOff + 5 * ldc); c51 = FloatVector.fromArray(S, c, cOff + 5 * ldc + L); c52 = FloatVector.fromArray(S, c, cOff + 5 * ldc + 2 * L); c53 = FloatVector.fromArray(S, c, cOff + 5 * ldc + 3 * L);
        } else {
            FloatVector zero = FloatVector.zero(S);
            c00 = zero; c01 = zero; c02 = zero; c03 = zero;
            c10 = zero; c11 = zero; c12 = zero; c13 = zero;
            c20 = zero; c21 = zero; c22 = zero; c23 = zero;
            c30 = zero; c31 = zero; c32 = zero; c33 = zero;
            c40 = zero; c41 = zero; c42 = zero; c43 = zero;
            c50 = zero; c51 = zero; c52 = zero; c53 = zero;
        }
        int aRow2 = 2 * aRow;
        int aRow3 = 3 * aRow;
        int aRow4 = 4 * aRow;
        int aRow5 = 5 * aRow;
        for (int p = 0; p < kc; p++) {
            int bo = bOff + p * 4 * L;
            int ao = aOff + p * aStep;
            FloatVector b0 = FloatVector.fromArray(S, bp, bo);
            FloatVector b1 = FloatVector.fromArray(S, bp, bo + L);
            FloatVector b2 = FloatVector.fromArray(S, bp, bo + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, bp, bo + 3 * L);
            FloatVector a0 = FloatVector.broadcast(S, a[ao]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01); c02 = a0.fma(b2, c02); c03 = a0.fma(b3, c03);
            FloatVector a1 = FloatVector.broadcast(S, a[ao + aRow]);
            c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11); c12 = a1.fma(b2, c12); c13 = a1.fma(b3, c13);
            FloatVector a2 = FloatVector.broadcast(S, a[ao + aRow2]);
            c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21); c22 = a2.fma(b2, c22); c23 = a2.fma(b3, c23);
            FloatVector a3 = FloatVector.broadcast(S, a[ao + aRow3]);
            c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31); c32 = a3.fma(b2, c32); c33 = a3.fma(b3, c33);
            FloatVector a4 = FloatVector.broadcast(S, a[ao + aRow4]);
            c40 = a4.fma(b0, c40); c41 = a4.fma(b1, c41); c42 = a4.fma(b2, c42); c43 = a4.fma(b3, c43);
            FloatVector a5 = FloatVector.broadcast(S, a[ao + aRow5]);
            c50 = a5.fma(b0, c50); c51 = a5.fma(b1, c51); c52 = a5.fma(b2, c52); c53 = a5.fma(b3, c53);
        }
        c00.intoArray(c, cOff); c01.intoArray(c, cOff + L); c02.intoArray(c, cOff + 2 * L); c03.intoArray(c, cOff + 3 * L);
        c10.intoArray(c, cOff + ldc); c11.intoArray(c, cOff + ldc + L); c12.intoArray(c, cOff + ldc + 2 * L); c13.intoArray(c, cOff + ldc + 3 * L);
        c20.intoArray(c, cOff + 2 * ldc); c21.intoArray(c, cOff + 2 * ldc + L); c22.intoArray(c, cOff + 2 * ldc + 2 * L); c23.intoArray(c, cOff + 2 * ldc + 3 * L);
        c30.intoArray(c, cOff + 3 * ldc); c31.intoArray(c, cOff + 3 * ldc + L); c32.intoArray(c, cOff + 3 * ldc + 2 * L); c33.intoArray(c, cOff + 3 * ldc + 3 * L);
        c40.intoArray(c, cOff + 4 * ldc); c41.intoArray(c, cOff + 4 * ldc + L); c42.intoArray(c, cOff + 4 * ldc + 2 * L); c43.intoArray(c, cOff + 4 * ldc + 3 * L);
        c50.intoArray(c, cOff + 5 * ldc); c51.intoArray(c, cOff + 5 * ldc + L); c52.intoArray(c, cOff + 5 * ldc + 2 * L); c53.intoArray(c, cOff + 5 * ldc + 3 * L);
    }

    /** 12 rows x 2 vectors: 24 accumulators, 2 vectors of B and one broadcast of A in registers. */
    private static void kernel12x2(int kc, float[] a, int aOff, int aRow, int aStep, float[] bp, int bOff,
                                  float[] c, int cOff, int ldc, boolean accumulate) {
        FloatVector c00, c01;
        FloatVector c10, c11;
        FloatVector c20, c21;
        FloatVector c30, c31;
        FloatVector c40, c41;
        FloatVector c50, c51;
        FloatVector c60, c61;
        FloatVector c70, c71;
        FloatVector c80, c81;
        FloatVector c90, c91;
        FloatVector c100, c101;
        FloatVector c110, c111;
        if (accumulate) {
            c00 = FloatVector.fromArray(S, c, cOff); c01 = FloatVector.fromArray(S, c, cOff + L);
            c10 = FloatVector.fromArray(S, c, cOff + ldc); c11 = FloatVector.fromArray(S, c, cOff + ldc + L);
            c20 = FloatVector.fromArray(S, c, cOff + 2 * ldc); c21 = FloatVector.fromArray(S, c, cOff + 2 * ldc + L);
            c30 = FloatVector.fromArray(S, c, cOff + 3 * ldc); c31 = FloatVector.fromArray(S, c, cOff + 3 * ldc + L);
            c40 = FloatVector.fromArray(S, c, cOff + 4 * ldc); c41 = FloatVector.fromArray(S, c, cOff + 4 * ldc + L);
            c50 = FloatVector.fromArray(S, c, cOff + 5 * ldc); c51 = FloatVector.fromArray(S, c, cOff + 5 * ldc + L);
            c60 = FloatVector.fromArray(S, c, cOff + 6 * ldc); c61 = FloatVector.fromArray(S, c, cOff + 6 * ldc + L);
            c70 = FloatVector.fromArray(S, c, cOff + 7 * ldc); c71 = FloatVector.fromArray(S, c, cOff + 7 * ldc + L);
            c80 = FloatVector.fromArray(S, c, cOff + 8 * ldc); c81 = FloatVector.fromArray(S, c, cOff + 8 * ldc + L);
            c90 = FloatVector.fromArray(S, c, cOff + 9 * ldc); c91 = FloatVector.fromArray(S, c, cOff + 9 * ldc + L);
            c100 = FloatVector.fromArray(S, c, cOff + 10 * ldc); c101 = FloatVector.fromArray(S, c, cOff + 10 * ldc + L);
            c110 = FloatVector.fromArray(S, c, cOff + 11 * ldc); c111 = FloatVector.fromArray(S, c, cOff + 11 * ldc + L);
        } else {
            FloatVector zero = FloatVector.zero(S);
            c00 = zero; c01 = zero;
            c10 = zero; c11 = zero;
            c20 = zero; c21 = zero;
            c30 = zero; c31 = zero;
            c40 = zero; c41 = zero;
            c50 = zero; c51 = zero;
            c60 = zero; c61 = zero;
            c70 = zero; c71 = zero;
            c80 = zero; c81 = zero;
            c90 = zero; c91 = zero;
            c100 = zero; c101 = zero;
            c110 = zero; c111 = zero;
        }
        int aRow2 = 2 * aRow;
        int aRow3 = 3 * aRow;
        int aRow4 = 4 * aRow;
        int aRow5 = 5 * aRow;
        int aRow6 = 6 * aRow;
        int aRow7 = 7 * aRow;
        int aRow8 = 8 * aRow;
        int aRow9 = 9 * aRow;
        int aRow10 = 10 * aRow;
        int aRow11 = 11 * aRow;
        for (int p = 0; p < kc; p++) {
            int bo = bOff + p * 2 * L;
            int ao = aOff + p * aStep;
            FloatVector b0 = FloatVector.fromArray(S, bp, bo);
            FloatVector b1 = FloatVector.fromArray(S, bp, bo + L);
            FloatVector a0 = FloatVector.broadcast(S, a[ao]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, a[ao + aRow]);
            c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, a[ao + aRow2]);
            c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, a[ao + aRow3]);
            c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(S, a[ao + aRow4]);
            c40 = a4.fma(b0, c40); c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(S, a[ao + aRow5]);
            c50 = a5.fma(b0, c50); c51 = a5.fma(b1, c51);
            FloatVector a6 = FloatVector.broadcast(S, a[ao + aRow6]);
            c60 = a6.fma(b0, c60); c61 = a6.fma(b1, c61);
            FloatVector a7 = FloatVector.broadcast(S, a[ao + aRow7]);
            c70 = a7.fma(b0, c70); c71 = a7.fma(b1, c71);
            FloatVector a8 = FloatVector.broadcast(S, a[ao + aRow8]);
            c80 = a8.fma(b0, c80); c81 = a8.fma(b1, c81);
            FloatVector a9 = FloatVector.broadcast(S, a[ao + aRow9]);
            c90 = a9.fma(b0, c90); c91 = a9.fma(b1, c91);
            FloatVector a10 = FloatVector.broadcast(S, a[ao + aRow10]);
            c100 = a10.fma(b0, c100); c101 = a10.fma(b1, c101);
            FloatVector a11 = FloatVector.broadcast(S, a[ao + aRow11]);
            c110 = a11.fma(b0, c110); c111 = a11.fma(b1, c111);
        }
        c00.intoArray(c, cOff); c01.intoArray(c, cOff + L);
        c10.intoArray(c, cOff + ldc); c11.intoArray(c, cOff + ldc + L);
        c20.intoArray(c, cOff + 2 * ldc); c21.intoArray(c, cOff + 2 * ldc + L);
        c30.intoArray(c, cOff + 3 * ldc); c31.intoArray(c, cOff + 3 * ldc + L);
        c40.intoArray(c, cOff + 4 * ldc); c41.intoArray(c, cOff + 4 * ldc + L);
        c50.intoArray(c, cOff + 5 * ldc); c51.intoArray(c, cOff + 5 * ldc + L);
        c60.intoArray(c, cOff + 6 * ldc); c61.intoArray(c, cOff + 6 * ldc + L);
        c70.intoArray(c, cOff + 7 * ldc); c71.intoArray(c, cOff + 7 * ldc + L);
        c80.intoArray(c, cOff + 8 * ldc); c81.intoArray(c, cOff + 8 * ldc + L);
        c90.intoArray(c, cOff + 9 * ldc); c91.intoArray(c, cOff + 9 * ldc + L);
        c100.intoArray(c, cOff + 10 * ldc); c101.intoArray(c, cOff + 10 * ldc + L);
        c110.intoArray(c, cOff + 11 * ldc); c111.intoArray(c, cOff + 11 * ldc + L);
    }

    /** 8 rows x 3 vectors: 24 accumulators, 3 vectors of B and one broadcast of A in registers. */
    private static void kernel8x3(int kc, float[] a, int aOff, int aRow, int aStep, float[] bp, int bOff,
                                  float[] c, int cOff, int ldc, boolean accumulate) {
        FloatVector c00, c01, c02;
        FloatVector c10, c11, c12;
        FloatVector c20, c21, c22;
        FloatVector c30, c31, c32;
        FloatVector c40, c41, c42;
        FloatVector c50, c51, c52;
        FloatVector c60, c61, c62;
        FloatVector c70, c71, c72;
        if (accumulate) {
            c00 = FloatVector.fromArray(S, c, cOff); c01 = FloatVector.fromArray(S, c, cOff + L); c02 = FloatVector.fromArray(S, c, cOff + 2 * L);
            c10 = FloatVector.fromArray(S, c, cOff + ldc); c11 = FloatVector.fromArray(S, c, cOff + ldc + L); c12 = FloatVector.fromArray(S, c, cOff + ldc + 2 * L);
            c20 = FloatVector.fromArray(S, c, cOff + 2 * ldc); c21 = FloatVector.fromArray(S, c, cOff + 2 * ldc + L); c22 = FloatVector.fromArray(S, c, cOff + 2 * ldc + 2 * L);
            c30 = FloatVector.fromArray(S, c, cOff + 3 * ldc); c31 = FloatVector.fromArray(S, c, cOff + 3 * ldc + L); c32 = FloatVector.fromArray(S, c, cOff + 3 * ldc + 2 * L);
            c40 = FloatVector.fromArray(S, c, cOff + 4 * ldc); c41 = FloatVector.fromArray(S, c, cOff + 4 * ldc + L); c42 = FloatVector.fromArray(S, c, cOff + 4 * ldc + 2 * L);
            c50 = FloatVector.fromArray(S, c, cOff + 5 * ldc); c51 = FloatVector.fromArray(S, c, cOff + 5 * ldc + L); c52 = FloatVector.fromArray(S, c, cOff + 5 * ldc + 2 * L);
            c60 = FloatVector.fromArray(S, c, cOff + 6 * ldc); c61 = FloatVector.fromArray(S, c, cOff + 6 * ldc + L); c62 = FloatVector.fromArray(S, c, cOff + 6 * ldc + 2 * L);
            c70 = FloatVector.fromArray(S, c, cOff + 7 * ldc); c71 = FloatVector.fromArray(S, c, cOff + 7 * ldc + L); c72 = FloatVector.fromArray(S, c, cOff + 7 * ldc + 2 * L);
        } else {
            FloatVector zero = FloatVector.zero(S);
            c00 = zero; c01 = zero; c02 = zero;
            c10 = zero; c11 = zero; c12 = zero;
            c20 = zero; c21 = zero; c22 = zero;
            c30 = zero; c31 = zero; c32 = zero;
            c40 = zero; c41 = zero; c42 = zero;
            c50 = zero; c51 = zero; c52 = zero;
            c60 = zero; c61 = zero; c62 = zero;
            c70 = zero; c71 = zero; c72 = zero;
        }
        int aRow2 = 2 * aRow;
        int aRow3 = 3 * aRow;
        int aRow4 = 4 * aRow;
        int aRow5 = 5 * aRow;
        int aRow6 = 6 * aRow;
        int aRow7 = 7 * aRow;
        for (int p = 0; p < kc; p++) {
            int bo = bOff + p * 3 * L;
            int ao = aOff + p * aStep;
            FloatVector b0 = FloatVector.fromArray(S, bp, bo);
            FloatVector b1 = FloatVector.fromArray(S, bp, bo + L);
            FloatVector b2 = FloatVector.fromArray(S, bp, bo + 2 * L);
            FloatVector a0 = FloatVector.broadcast(S, a[ao]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01); c02 = a0.fma(b2, c02);
            FloatVector a1 = FloatVector.broadcast(S, a[ao + aRow]);
            c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11); c12 = a1.fma(b2, c12);
            FloatVector a2 = FloatVector.broadcast(S, a[ao + aRow2]);
            c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21); c22 = a2.fma(b2, c22);
            FloatVector a3 = FloatVector.broadcast(S, a[ao + aRow3]);
            c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31); c32 = a3.fma(b2, c32);
            FloatVector a4 = FloatVector.broadcast(S, a[ao + aRow4]);
            c40 = a4.fma(b0, c40); c41 = a4.fma(b1, c41); c42 = a4.fma(b2, c42);
            FloatVector a5 = FloatVector.broadcast(S, a[ao + aRow5]);
            c50 = a5.fma(b0, c50); c51 = a5.fma(b1, c51); c52 = a5.fma(b2, c52);
            FloatVector a6 = FloatVector.broadcast(S, a[ao + aRow6]);
            c60 = a6.fma(b0, c60); c61 = a6.fma(b1, c61); c62 = a6.fma(b2, c62);
            FloatVector a7 = FloatVector.broadcast(S, a[ao + aRow7]);
            c70 = a7.fma(b0, c70); c71 = a7.fma(b1, c71); c72 = a7.fma(b2, c72);
        }
        c00.intoArray(c, cOff); c01.intoArray(c, cOff + L); c02.intoArray(c, cOff + 2 * L);
        c10.intoArray(c, cOff + ldc); c11.intoArray(c, cOff + ldc + L); c12.intoArray(c, cOff + ldc + 2 * L);
        c20.intoArray(c, cOff + 2 * ldc); c21.intoArray(c, cOff + 2 * ldc + L); c22.intoArray(c, cOff + 2 * ldc + 2 * L);
        c30.intoArray(c, cOff + 3 * ldc); c31.intoArray(c, cOff + 3 * ldc + L); c32.intoArray(c, cOff + 3 * ldc + 2 * L);
        c40.intoArray(c, cOff + 4 * ldc); c41.intoArray(c, cOff + 4 * ldc + L); c42.intoArray(c, cOff + 4 * ldc + 2 * L);
        c50.intoArray(c, cOff + 5 * ldc); c51.intoArray(c, cOff + 5 * ldc + L); c52.intoArray(c, cOff + 5 * ldc + 2 * L);
        c60.intoArray(c, cOff + 6 * ldc); c61.intoArray(c, cOff + 6 * ldc + L); c62.intoArray(c, cOff + 6 * ldc + 2 * L);
        c70.intoArray(c, cOff + 7 * ldc); c71.intoArray(c, cOff + 7 * ldc + L); c72.intoArray(c, cOff + 7 * ldc + 2 * L);
    }

    /** 6 rows x 2 vectors: 12 accumulators, 2 vectors of B and one broadcast of A in registers. */
    private static void kernel6x2(int kc, float[] a, int aOff, int aRow, int aStep, float[] bp, int bOff,
                                  float[] c, int cOff, int ldc, boolean accumulate) {
        FloatVector c00, c01;
        FloatVector c10, c11;
        FloatVector c20, c21;
        FloatVector c30, c31;
        FloatVector c40, c41;
        FloatVector c50, c51;
        if (accumulate) {
            c00 = FloatVector.fromArray(S, c, cOff); c01 = FloatVector.fromArray(S, c, cOff + L);
            c10 = FloatVector.fromArray(S, c, cOff + ldc); c11 = FloatVector.fromArray(S, c, cOff + ldc + L);
            c20 = FloatVector.fromArray(S, c, cOff + 2 * ldc); c21 = FloatVector.fromArray(S, c, cOff + 2 * ldc + L);
            c30 = FloatVector.fromArray(S, c, cOff + 3 * ldc); c31 = FloatVector.fromArray(S, c, cOff + 3 * ldc + L);
            c40 = FloatVector.fromArray(S, c, cOff + 4 * ldc); c41 = FloatVector.fromArray(S, c, cOff + 4 * ldc + L);
            c50 = FloatVector.fromArray(S, c, cOff + 5 * ldc); c51 = FloatVector.fromArray(S, c, cOff + 5 * ldc + L);
        } else {
            FloatVector zero = FloatVector.zero(S);
            c00 = zero; c01 = zero;
            c10 = zero; c11 = zero;
            c20 = zero; c21 = zero;
            c30 = zero; c31 = zero;
            c40 = zero; c41 = zero;
            c50 = zero; c51 = zero;
        }
        int aRow2 = 2 * aRow;
        int aRow3 = 3 * aRow;
        int aRow4 = 4 * aRow;
        int aRow5 = 5 * aRow;
        for (int p = 0; p < kc; p++) {
            int bo = bOff + p * 2 * L;
            int ao = aOff + p * aStep;
            FloatVector b0 = FloatVector.fromArray(S, bp, bo);
            FloatVector b1 = FloatVector.fromArray(S, bp, bo + L);
            FloatVector a0 = FloatVector.broadcast(S, a[ao]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, a[ao + aRow]);
            c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, a[ao + aRow2]);
            c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, a[ao + aRow3]);
            c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(S, a[ao + aRow4]);
            c40 = a4.fma(b0, c40); c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(S, a[ao + aRow5]);
            c50 = a5.fma(b0, c50); c51 = a5.fma(b1, c51);
        }
        c00.intoArray(c, cOff); c01.intoArray(c, cOff + L);
        c10.intoArray(c, cOff + ldc); c11.intoArray(c, cOff + ldc + L);
        c20.intoArray(c, cOff + 2 * ldc); c21.intoArray(c, cOff + 2 * ldc + L);
        c30.intoArray(c, cOff + 3 * ldc); c31.intoArray(c, cOff + 3 * ldc + L);
        c40.intoArray(c, cOff + 4 * ldc); c41.intoArray(c, cOff + 4 * ldc + L);
        c50.intoArray(c, cOff + 5 * ldc); c51.intoArray(c, cOff + 5 * ldc + L);
    }

    /** 4 rows x 4 vectors: 16 accumulators, 4 vectors of B and one broadcast of A in registers. */
    private static void kernel4x4(int kc, float[] a, int aOff, int aRow, int aStep, float[] bp, int bOff,
                                  float[] c, int cOff, int ldc, boolean accumulate) {
        FloatVector c00, c01, c02, c03;
        FloatVector c10, c11, c12, c13;
        FloatVector c20, c21, c22, c23;
        FloatVector c30, c31, c32, c33;
        if (accumulate) {
            c00 = FloatVector.fromArray(S, c, cOff); c01 = FloatVector.fromArray(S, c, cOff + L); c02 = FloatVector.fromArray(S, c, cOff + 2 * L); c03 = FloatVector.fromArray(S, c, cOff + 3 * L);
            c10 = FloatVector.fromArray(S, c, cOff + ldc); c11 = FloatVector.fromArray(S, c, cOff + ldc + L); c12 = FloatVector.fromArray(S, c, cOff + ldc + 2 * L); c13 = FloatVector.fromArray(S, c, cOff + ldc + 3 * L);
            c20 = FloatVector.fromArray(S, c, cOff + 2 * ldc); c21 = FloatVector.fromArray(S, c, cOff + 2 * ldc + L); c22 = FloatVector.fromArray(S, c, cOff + 2 * ldc + 2 * L); c23 = FloatVector.fromArray(S, c, cOff + 2 * ldc + 3 * L);
            c30 = FloatVector.fromArray(S, c, cOff + 3 * ldc); c31 = FloatVector.fromArray(S, c, cOff + 3 * ldc + L); c32 = FloatVector.fromArray(S, c, cOff + 3 * ldc + 2 * L); c33 = FloatVector.fromArray(S, c, cOff + 3 * ldc + 3 * L);
        } else {
            FloatVector zero = FloatVector.zero(S);
            c00 = zero; c01 = zero; c02 = zero; c03 = zero;
            c10 = zero; c11 = zero; c12 = zero; c13 = zero;
            c20 = zero; c21 = zero; c22 = zero; c23 = zero;
            c30 = zero; c31 = zero; c32 = zero; c33 = zero;
        }
        int aRow2 = 2 * aRow;
        int aRow3 = 3 * aRow;
        for (int p = 0; p < kc; p++) {
            int bo = bOff + p * 4 * L;
            int ao = aOff + p * aStep;
            FloatVector b0 = FloatVector.fromArray(S, bp, bo);
            FloatVector b1 = FloatVector.fromArray(S, bp, bo + L);
            FloatVector b2 = FloatVector.fromArray(S, bp, bo + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, bp, bo + 3 * L);
            FloatVector a0 = FloatVector.broadcast(S, a[ao]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01); c02 = a0.fma(b2, c02); c03 = a0.fma(b3, c03);
            FloatVector a1 = FloatVector.broadcast(S, a[ao + aRow]);
            c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11); c12 = a1.fma(b2, c12); c13 = a1.fma(b3, c13);
            FloatVector a2 = FloatVector.broadcast(S, a[ao + aRow2]);
            c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21); c22 = a2.fma(b2, c22); c23 = a2.fma(b3, c23);
            FloatVector a3 = FloatVector.broadcast(S, a[ao + aRow3]);
            c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31); c32 = a3.fma(b2, c32); c33 = a3.fma(b3, c33);
        }
        c00.intoArray(c, cOff); c01.intoArray(c, cOff + L); c02.intoArray(c, cOff + 2 * L); c03.intoArray(c, cOff + 3 * L);
        c10.intoArray(c, cOff + ldc); c11.intoArray(c, cOff + ldc + L); c12.intoArray(c, cOff + ldc + 2 * L); c13.intoArray(c, cOff + ldc + 3 * L);
        c20.intoArray(c, cOff + 2 * ldc); c21.intoArray(c, cOff + 2 * ldc + L); c22.intoArray(c, cOff + 2 * ldc + 2 * L); c23.intoArray(c, cOff + 2 * ldc + 3 * L);
        c30.intoArray(c, cOff + 3 * ldc); c31.intoArray(c, cOff + 3 * ldc + L); c32.intoArray(c, cOff + 3 * ldc + 2 * L); c33.intoArray(c, cOff + 3 * ldc + 3 * L);
    }

    /** 14 rows x 2 vectors: 28 accumulators, 2 vectors of B and one broadcast of A in registers. */
    private static void kernel14x2(int kc, float[] a, int aOff, int aRow, int aStep, float[] bp, int bOff,
                                  float[] c, int cOff, int ldc, boolean accumulate) {
        FloatVector c00, c01;
        FloatVector c10, c11;
        FloatVector c20, c21;
        FloatVector c30, c31;
        FloatVector c40, c41;
        FloatVector c50, c51;
        FloatVector c60, c61;
        FloatVector c70, c71;
        FloatVector c80, c81;
        FloatVector c90, c91;
        FloatVector c100, c101;
        FloatVector c110, c111;
        FloatVector c120, c121;
        FloatVector c130, c131;
        if (accumulate) {
            c00 = FloatVector.fromArray(S, c, cOff); c01 = FloatVector.fromArray(S, c, cOff + L);
            c10 = FloatVector.fromArray(S, c, cOff + ldc); c11 = FloatVector.fromArray(S, c, cOff + ldc + L);
            c20 = FloatVector.fromArray(S, c, cOff + 2 * ldc); c21 = FloatVector.fromArray(S, c, cOff + 2 * ldc + L);
            c30 = FloatVector.fromArray(S, c, cOff + 3 * ldc); c31 = FloatVector.fromArray(S, c, cOff + 3 * ldc + L);
            c40 = FloatVector.fromArray(S, c, cOff + 4 * ldc); c41 = FloatVector.fromArray(S, c, cOff + 4 * ldc + L);
            c50 = FloatVector.fromArray(S, c, cOff + 5 * ldc); c51 = FloatVector.fromArray(S, c, cOff + 5 * ldc + L);
            c60 = FloatVector.fromArray(S, c, cOff + 6 * ldc); c61 = FloatVector.fromArray(S, c, cOff + 6 * ldc + L);
            c70 = FloatVector.fromArray(S, c, cOff + 7 * ldc); c71 = FloatVector.fromArray(S, c, cOff + 7 * ldc + L);
            c80 = FloatVector.fromArray(S, c, cOff + 8 * ldc); c81 = FloatVector.fromArray(S, c, cOff + 8 * ldc + L);
            c90 = FloatVector.fromArray(S, c, cOff + 9 * ldc); c91 = FloatVector.fromArray(S, c, cOff + 9 * ldc + L);
            c100 = FloatVector.fromArray(S, c, cOff + 10 * ldc); c101 = FloatVector.fromArray(S, c, cOff + 10 * ldc + L);
            c110 = FloatVector.fromArray(S, c, cOff + 11 * ldc); c111 = FloatVector.fromArray(S, c, cOff + 11 * ldc + L);
            c120 = FloatVector.fromArray(S, c, cOff + 12 * ldc); c121 = FloatVector.fromArray(S, c, cOff + 12 * ldc + L);
            c130 = FloatVector.fromArray(S, c, cOff + 13 * ldc); c131 = FloatVector.fromArray(S, c, cOff + 13 * ldc + L);
        } else {
            FloatVector zero = FloatVector.zero(S);
            c00 = zero; c01 = zero;
            c10 = zero; c11 = zero;
            c20 = zero; c21 = zero;
            c30 = zero; c31 = zero;
            c40 = zero; c41 = zero;
            c50 = zero; c51 = zero;
            c60 = zero; c61 = zero;
            c70 = zero; c71 = zero;
            c80 = zero; c81 = zero;
            c90 = zero; c91 = zero;
            c100 = zero; c101 = zero;
            c110 = zero; c111 = zero;
            c120 = zero; c121 = zero;
            c130 = zero; c131 = zero;
        }
        int aRow2 = 2 * aRow;
        int aRow3 = 3 * aRow;
        int aRow4 = 4 * aRow;
        int aRow5 = 5 * aRow;
        int aRow6 = 6 * aRow;
        int aRow7 = 7 * aRow;
        int aRow8 = 8 * aRow;
        int aRow9 = 9 * aRow;
        int aRow10 = 10 * aRow;
        int aRow11 = 11 * aRow;
        int aRow12 = 12 * aRow;
        int aRow13 = 13 * aRow;
        for (int p = 0; p < kc; p++) {
            int bo = bOff + p * 2 * L;
            int ao = aOff + p * aStep;
            FloatVector b0 = FloatVector.fromArray(S, bp, bo);
            FloatVector b1 = FloatVector.fromArray(S, bp, bo + L);
            FloatVector a0 = FloatVector.broadcast(S, a[ao]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, a[ao + aRow]);
            c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, a[ao + aRow2]);
            c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, a[ao + aRow3]);
            c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(S, a[ao + aRow4]);
            c40 = a4.fma(b0, c40); c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(S, a[ao + aRow5]);
            c50 = a5.fma(b0, c50); c51 = a5.fma(b1, c51);
            FloatVector a6 = FloatVector.broadcast(S, a[ao + aRow6]);
            c60 = a6.fma(b0, c60); c61 = a6.fma(b1, c61);
            FloatVector a7 = FloatVector.broadcast(S, a[ao + aRow7]);
            c70 = a7.fma(b0, c70); c71 = a7.fma(b1, c71);
            FloatVector a8 = FloatVector.broadcast(S, a[ao + aRow8]);
            c80 = a8.fma(b0, c80); c81 = a8.fma(b1, c81);
            FloatVector a9 = FloatVector.broadcast(S, a[ao + aRow9]);
            c90 = a9.fma(b0, c90); c91 = a9.fma(b1, c91);
            FloatVector a10 = FloatVector.broadcast(S, a[ao + aRow10]);
            c100 = a10.fma(b0, c100); c101 = a10.fma(b1, c101);
            FloatVector a11 = FloatVector.broadcast(S, a[ao + aRow11]);
            c110 = a11.fma(b0, c110); c111 = a11.fma(b1, c111);
            FloatVector a12 = FloatVector.broadcast(S, a[ao + aRow12]);
            c120 = a12.fma(b0, c120); c121 = a12.fma(b1, c121);
            FloatVector a13 = FloatVector.broadcast(S, a[ao + aRow13]);
            c130 = a13.fma(b0, c130); c131 = a13.fma(b1, c131);
        }
        c00.intoArray(c, cOff); c01.intoArray(c, cOff + L);
        c10.intoArray(c, cOff + ldc); c11.intoArray(c, cOff + ldc + L);
        c20.intoArray(c, cOff + 2 * ldc); c21.intoArray(c, cOff + 2 * ldc + L);
        c30.intoArray(c, cOff + 3 * ldc); c31.intoArray(c, cOff + 3 * ldc + L);
        c40.intoArray(c, cOff + 4 * ldc); c41.intoArray(c, cOff + 4 * ldc + L);
        c50.intoArray(c, cOff + 5 * ldc); c51.intoArray(c, cOff + 5 * ldc + L);
        c60.intoArray(c, cOff + 6 * ldc); c61.intoArray(c, cOff + 6 * ldc + L);
        c70.intoArray(c, cOff + 7 * ldc); c71.intoArray(c, cOff + 7 * ldc + L);
        c80.intoArray(c, cOff + 8 * ldc); c81.intoArray(c, cOff + 8 * ldc + L);
        c90.intoArray(c, cOff + 9 * ldc); c91.intoArray(c, cOff + 9 * ldc + L);
        c100.intoArray(c, cOff + 10 * ldc); c101.intoArray(c, cOff + 10 * ldc + L);
        c110.intoArray(c, cOff + 11 * ldc); c111.intoArray(c, cOff + 11 * ldc + L);
        c120.intoArray(c, cOff + 12 * ldc); c121.intoArray(c, cOff + 12 * ldc + L);
        c130.intoArray(c, cOff + 13 * ldc); c131.intoArray(c, cOff + 13 * ldc + L);
    }

    /** 4 rows x 6 vectors: 24 accumulators, 6 vectors of B and one broadcast of A in registers. */
    private static void kernel4x6(int kc, float[] a, int aOff, int aRow, int aStep, float[] bp, int bOff,
                                  float[] c, int cOff, int ldc, boolean accumulate) {
        FloatVector c00, c01, c02, c03, c04, c05;
        FloatVector c10, c11, c12, c13, c14, c15;
        FloatVector c20, c21, c22, c23, c24, c25;
        FloatVector c30, c31, c32, c33, c34, c35;
        if (accumulate) {
            c00 = FloatVector.fromArray(S, c, cOff); c01 = FloatVector.fromArray(S, c, cOff + L); c02 = FloatVector.fromArray(S, c, cOff + 2 * L); c03 = FloatVector.fromArray(S, c, cOff + 3 * L); c04 = FloatVector.fromArray(S, c, cOff + 4 * L); c05 = FloatVector.fromArray(S, c, cOff + 5 * L);
            c10 = FloatVector.fromArray(S, c, cOff + ldc); c11 = FloatVector.fromArray(S, c, cOff + ldc + L); c12 = FloatVector.fromArray(S, c, cOff + ldc + 2 * L); c13 = FloatVector.fromArray(S, c, cOff + ldc + 3 * L); c14 = FloatVector.fromArray(S, c, cOff + ldc + 4 * L); c15 = FloatVector.fromArray(S, c, cOff + ldc + 5 * L);
            c20 = FloatVector.fromArray(S, c, cOff + 2 * ldc); c21 = FloatVector.fromArray(S, c, cOff + 2 * ldc + L); c22 = FloatVector.fromArray(S, c, cOff + 2 * ldc + 2 * L); c23 = FloatVector.fromArray(S, c, cOff + 2 * ldc + 3 * L); c24 = FloatVector.fromArray(S, c, cOff + 2 * ldc + 4 * L); c25 = FloatVector.fromArray(S, c, cOff + 2 * ldc + 5 * L);
            c30 = FloatVector.fromArray(S, c, cOff + 3 * ldc); c31 = FloatVector.fromArray(S, c, cOff + 3 * ldc + L); c32 = FloatVector.fromArray(S, c, cOff + 3 * ldc + 2 * L); c33 = FloatVector.fromArray(S, c, cOff + 3 * ldc + 3 * L); c34 = FloatVector.fromArray(S, c, cOff + 3 * ldc + 4 * L); c35 = FloatVector.fromArray(S, c, cOff + 3 * ldc + 5 * L);
        } else {
            FloatVector zero = FloatVector.zero(S);
            c00 = zero; c01 = zero; c02 = zero; c03 = zero; c04 = zero; c05 = zero;
            c10 = zero; c11 = zero; c12 = zero; c13 = zero; c14 = zero; c15 = zero;
            c20 = zero; c21 = zero; c22 = zero; c23 = zero; c24 = zero; c25 = zero;
            c30 = zero; c31 = zero; c32 = zero; c33 = zero; c34 = zero; c35 = zero;
        }
        int aRow2 = 2 * aRow;
        int aRow3 = 3 * aRow;
        for (int p = 0; p < kc; p++) {
            int bo = bOff + p * 6 * L;
            int ao = aOff + p * aStep;
            FloatVector b0 = FloatVector.fromArray(S, bp, bo);
            FloatVector b1 = FloatVector.fromArray(S, bp, bo + L);
            FloatVector b2 = FloatVector.fromArray(S, bp, bo + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, bp, bo + 3 * L);
            FloatVector b4 = FloatVector.fromArray(S, bp, bo + 4 * L);
            FloatVector b5 = FloatVector.fromArray(S, bp, bo + 5 * L);
            FloatVector a0 = FloatVector.broadcast(S, a[ao]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01); c02 = a0.fma(b2, c02); c03 = a0.fma(b3, c03); c04 = a0.fma(b4, c04); c05 = a0.fma(b5, c05);
            FloatVector a1 = FloatVector.broadcast(S, a[ao + aRow]);
            c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11); c12 = a1.fma(b2, c12); c13 = a1.fma(b3, c13); c14 = a1.fma(b4, c14); c15 = a1.fma(b5, c15);
            FloatVector a2 = FloatVector.broadcast(S, a[ao + aRow2]);
            c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21); c22 = a2.fma(b2, c22); c23 = a2.fma(b3, c23); c24 = a2.fma(b4, c24); c25 = a2.fma(b5, c25);
            FloatVector a3 = FloatVector.broadcast(S, a[ao + aRow3]);
            c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31); c32 = a3.fma(b2, c32); c33 = a3.fma(b3, c33); c34 = a3.fma(b4, c34); c35 = a3.fma(b5, c35);
        }
        c00.intoArray(c, cOff); c01.intoArray(c, cOff + L); c02.intoArray(c, cOff + 2 * L); c03.intoArray(c, cOff + 3 * L); c04.intoArray(c, cOff + 4 * L); c05.intoArray(c, cOff + 5 * L);
        c10.intoArray(c, cOff + ldc); c11.intoArray(c, cOff + ldc + L); c12.intoArray(c, cOff + ldc + 2 * L); c13.intoArray(c, cOff + ldc + 3 * L); c14.intoArray(c, cOff + ldc + 4 * L); c15.intoArray(c, cOff + ldc + 5 * L);
        c20.intoArray(c, cOff + 2 * ldc); c21.intoArray(c, cOff + 2 * ldc + L); c22.intoArray(c, cOff + 2 * ldc + 2 * L); c23.intoArray(c, cOff + 2 * ldc + 3 * L); c24.intoArray(c, cOff + 2 * ldc + 4 * L); c25.intoArray(c, cOff + 2 * ldc + 5 * L);
        c30.intoArray(c, cOff + 3 * ldc); c31.intoArray(c, cOff + 3 * ldc + L); c32.intoArray(c, cOff + 3 * ldc + 2 * L); c33.intoArray(c, cOff + 3 * ldc + 3 * L); c34.intoArray(c, cOff + 3 * ldc + 4 * L); c35.intoArray(c, cOff + 3 * ldc + 5 * L);
    }

    /** 5 rows x 5 vectors: 25 accumulators, 5 vectors of B and one broadcast of A in registers. */
    private static void kernel5x5(int kc, float[] a, int aOff, int aRow, int aStep, float[] bp, int bOff,
                                  float[] c, int cOff, int ldc, boolean accumulate) {
        FloatVector c00, c01, c02, c03, c04;
        FloatVector c10, c11, c12, c13, c14;
        FloatVector c20, c21, c22, c23, c24;
        FloatVector c30, c31, c32, c33, c34;
        FloatVector c40, c41, c42, c43, c44;
        if (accumulate) {
            c00 = FloatVector.fromArray(S, c, cOff); c01 = FloatVector.fromArray(S, c, cOff + L); c02 = FloatVector.fromArray(S, c, cOff + 2 * L); c03 = FloatVector.fromArray(S, c, cOff + 3 * L); c04 = FloatVector.fromArray(S, c, cOff + 4 * L);
            c10 = FloatVector.fromArray(S, c, cOff + ldc); c11 = FloatVector.fromArray(S, c, cOff + ldc + L); c12 = FloatVector.fromArray(S, c, cOff + ldc + 2 * L); c13 = FloatVector.fromArray(S, c, cOff + ldc + 3 * L); c14 = FloatVector.fromArray(S, c, cOff + ldc + 4 * L);
            c20 = FloatVector.fromArray(S, c, cOff + 2 * ldc); c21 = FloatVector.fromArray(S, c, cOff + 2 * ldc + L); c22 = FloatVector.fromArray(S, c, cOff + 2 * ldc + 2 * L); c23 = FloatVector.fromArray(S, c, cOff + 2 * ldc + 3 * L); c24 = FloatVector.fromArray(S, c, cOff + 2 * ldc + 4 * L);
            c30 = FloatVector.fromArray(S, c, cOff + 3 * ldc); c31 = FloatVector.fromArray(S, c, cOff + 3 * ldc + L); c32 = FloatVector.fromArray(S, c, cOff + 3 * ldc + 2 * L); c33 = FloatVector.fromArray(S, c, cOff + 3 * ldc + 3 * L); c34 = FloatVector.fromArray(S, c, cOff + 3 * ldc + 4 * L);
            c40 = FloatVector.fromArray(S, c, cOff + 4 * ldc); c41 = FloatVector.fromArray(S, c, cOff + 4 * ldc + L); c42 = FloatVector.fromArray(S, c, cOff + 4 * ldc + 2 * L); c43 = FloatVector.fromArray(S, c, cOff + 4 * ldc + 3 * L); c44 = FloatVector.fromArray(S, c, cOff + 4 * ldc + 4 * L);
        } else {
            FloatVector zero = FloatVector.zero(S);
            c00 = zero; c01 = zero; c02 = zero; c03 = zero; c04 = zero;
            c10 = zero; c11 = zero; c12 = zero; c13 = zero; c14 = zero;
            c20 = zero; c21 = zero; c22 = zero; c23 = zero; c24 = zero;
            c30 = zero; c31 = zero; c32 = zero; c33 = zero; c34 = zero;
            c40 = zero; c41 = zero; c42 = zero; c43 = zero; c44 = zero;
        }
        int aRow2 = 2 * aRow;
        int aRow3 = 3 * aRow;
        int aRow4 = 4 * aRow;
        for (int p = 0; p < kc; p++) {
            int bo = bOff + p * 5 * L;
            int ao = aOff + p * aStep;
            FloatVector b0 = FloatVector.fromArray(S, bp, bo);
            FloatVector b1 = FloatVector.fromArray(S, bp, bo + L);
            FloatVector b2 = FloatVector.fromArray(S, bp, bo + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, bp, bo + 3 * L);
            FloatVector b4 = FloatVector.fromArray(S, bp, bo + 4 * L);
            FloatVector a0 = FloatVector.broadcast(S, a[ao]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01); c02 = a0.fma(b2, c02); c03 = a0.fma(b3, c03); c04 = a0.fma(b4, c04);
            FloatVector a1 = FloatVector.broadcast(S, a[ao + aRow]);
            c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11); c12 = a1.fma(b2, c12); c13 = a1.fma(b3, c13); c14 = a1.fma(b4, c14);
            FloatVector a2 = FloatVector.broadcast(S, a[ao + aRow2]);
            c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21); c22 = a2.fma(b2, c22); c23 = a2.fma(b3, c23); c24 = a2.fma(b4, c24);
            FloatVector a3 = FloatVector.broadcast(S, a[ao + aRow3]);
            c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31); c32 = a3.fma(b2, c32); c33 = a3.fma(b3, c33); c34 = a3.fma(b4, c34);
            FloatVector a4 = FloatVector.broadcast(S, a[ao + aRow4]);
            c40 = a4.fma(b0, c40); c41 = a4.fma(b1, c41); c42 = a4.fma(b2, c42); c43 = a4.fma(b3, c43); c44 = a4.fma(b4, c44);
        }
        c00.intoArray(c, cOff); c01.intoArray(c, cOff + L); c02.intoArray(c, cOff + 2 * L); c03.intoArray(c, cOff + 3 * L); c04.intoArray(c, cOff + 4 * L);
        c10.intoArray(c, cOff + ldc); c11.intoArray(c, cOff + ldc + L); c12.intoArray(c, cOff + ldc + 2 * L); c13.intoArray(c, cOff + ldc + 3 * L); c14.intoArray(c, cOff + ldc + 4 * L);
        c20.intoArray(c, cOff + 2 * ldc); c21.intoArray(c, cOff + 2 * ldc + L); c22.intoArray(c, cOff + 2 * ldc + 2 * L); c23.intoArray(c, cOff + 2 * ldc + 3 * L); c24.intoArray(c, cOff + 2 * ldc + 4 * L);
        c30.intoArray(c, cOff + 3 * ldc); c31.intoArray(c, cOff + 3 * ldc + L); c32.intoArray(c, cOff + 3 * ldc + 2 * L); c33.intoArray(c, cOff + 3 * ldc + 3 * L); c34.intoArray(c, cOff + 3 * ldc + 4 * L);
        c40.intoArray(c, cOff + 4 * ldc); c41.intoArray(c, cOff + 4 * ldc + L); c42.intoArray(c, cOff + 4 * ldc + 2 * L); c43.intoArray(c, cOff + 4 * ldc + 3 * L); c44.intoArray(c, cOff + 4 * ldc + 4 * L);
    }
}
