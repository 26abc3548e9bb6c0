/**
 * The service-provider side of backend selection: what a backend module registers with
 * {@link java.util.ServiceLoader}, a provider with a cheap constructor, a name, a priority and a
 * probe that says whether the backend can run here and, if not, why. Public API for backend
 * implementors; applications do not need it.
 */
package org.ebm4j.tensor.spi;
