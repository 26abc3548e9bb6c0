/**
 * The pure-Java CPU backend, always available: its {@link java.util.ServiceLoader} provider, the
 * backend itself with tensors as heap {@code float[]}s, and the choice between the Vector API kernels
 * and the scalar kernels ({@code -Debm.cpu.kernels=auto|scalar|vector}). Public API: applications
 * normally reach the backend through {@code org.ebm4j.tensor.Backends}; the classes here are public
 * for direct construction, diagnostics and tests. The packages under {@code org.ebm4j.cpu.internal}
 * are its implementation and not API.
 */
package org.ebm4j.cpu;
