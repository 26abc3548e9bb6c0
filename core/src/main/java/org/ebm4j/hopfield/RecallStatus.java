package org.ebm4j.hopfield;

/** Where one chain of a recall ended. */
public enum RecallStatus {
    /** No unit would change: a fixed point of the deterministic dynamics. */
    FIXED_POINT,
    /** Synchronous recall only: the state alternates between two states. */
    TWO_CYCLE,
    /** The sweep or step limit came first (or the dynamics were stochastic and not quenched). */
    UNSETTLED
}
