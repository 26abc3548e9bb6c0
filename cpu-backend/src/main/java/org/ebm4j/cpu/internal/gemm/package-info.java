/**
 * Implementation of the CPU backend, not API: single-precision matrix multiplication, a plain
 * triple loop as the reference and the cache-blocked, multithreaded algorithm with a plain-Java
 * register micro-kernel, which the Vector API micro-kernel extends.
 */
package org.ebm4j.cpu.internal.gemm;
