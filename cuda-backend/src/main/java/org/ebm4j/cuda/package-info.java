/**
 * The CUDA backend: its {@link java.util.ServiceLoader} provider, whose probe (driver, device, PTX
 * loaded into a context) runs once and whose failure is reported with its reason, and the backend,
 * which keeps tensors in device memory and runs every operation and every random draw as a kernel of
 * the {@code ebm4j-kernels} PTX, with GEMM through cuBLAS when its native library loads. Public API
 * is the provider and the backend; the rest of the package (context, device buffers, kernel table,
 * GEMM paths, error checks) is package-private implementation.
 */
package org.ebm4j.cuda;
