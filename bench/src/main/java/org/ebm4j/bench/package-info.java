/**
 * Benchmarks, run from the shaded {@code benchmarks.jar}: JMH micro-benchmarks of the CPU backend's
 * SGEMM and fused sampling kernels, one run per kernel set, and end-to-end throughput harnesses
 * (RBM training epochs, HMC sampling, a published reference recipe) that time each backend call.
 * Tools, not a library API.
 */
package org.ebm4j.bench;
