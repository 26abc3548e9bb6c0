/**
 * Hopfield networks of {@code -1/+1} units: storing patterns with a learning rule, deterministic
 * recall (asynchronous, one unit at a time, or synchronous, all units at once) and stochastic recall
 * with simulated annealing, each for a batch of cues on a backend, and the storage-capacity
 * experiment that measures how many patterns a network recalls exactly. Public API.
 */
package org.ebm4j.hopfield;
