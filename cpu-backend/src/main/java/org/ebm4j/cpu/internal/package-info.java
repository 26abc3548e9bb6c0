/**
 * Implementation of the CPU backend, not API: the fixed team of threads over which operations are
 * split, and the plain-Java kernel set, which is also the reference the Vector API kernels are
 * tested against. Its classes are public only because the backend's packages use one another; they
 * may change or disappear in any release.
 */
package org.ebm4j.cpu.internal;
