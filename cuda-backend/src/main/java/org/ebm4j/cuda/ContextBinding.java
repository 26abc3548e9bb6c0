package org.ebm4j.cuda;

/**
 * Which device context each thread last made current through ebm4j. Driver contexts are current per
 * thread, and one thread may use several backends (on several devices) in turn, so the switch may
 * be skipped only when this thread's current context is the one wanted: a per-context record of
 * "the thread I was last made current on" misses the switch back after another context was bound.
 *
 * @param <C> the context type (compared by identity)
 */
final class ContextBinding<C> {
    private final ThreadLocal<C> current = new ThreadLocal<>();

    /**
     * Runs {@code makeCurrent} unless {@code context} is already this thread's current one.
     *
     * @return whether {@code makeCurrent} ran
     */
    boolean bind(C context, Runnable makeCurrent) {
        if (current.get() == context) {
            return false;
        }
        makeCurrent.run();  // may throw: then the thread's record stays as it was
        current.set(context);
        return true;
    }

    /** Forgets {@code context} on the calling thread if it is recorded there (it is being closed). */
    void forget(C context) {
        if (current.get() == context) {
            current.remove();
        }
    }
}
