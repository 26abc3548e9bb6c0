/**
 * Data sets of the demonstrations: the four squares and the grid of clusters with one missing.
 * Public API, for examples and tests: small, generated, with known structure.
 */
package org.ebm4j.energy.demo;
