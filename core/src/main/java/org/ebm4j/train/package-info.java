/**
 * The training contract every model family runs on: the epoch loop over minibatch updates with
 * its listeners, the trainer state that lets a resumed run continue exactly as if it had not
 * stopped, checkpoints written atomically, the per-epoch reports and metrics handed to listeners,
 * and the range checks that settings builders share. Public API.
 */
package org.ebm4j.train;
