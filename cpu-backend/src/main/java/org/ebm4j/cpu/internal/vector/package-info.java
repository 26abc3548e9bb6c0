/**
 * Implementation of the CPU backend, not API: the Vector API kernel set, its SGEMM micro-kernel,
 * its vectorized math and Philox. These are the only classes that import
 * {@code jdk.incubator.vector}; the backend loads them reflectively, and only when that module is
 * readable, so the rest of the backend runs without it.
 */
package org.ebm4j.cpu.internal.vector;
