/**
 * The library's one random number generator, Philox4x32-10: counter-based, implemented
 * identically by every backend so that one seed gives the same draws everywhere; positions in its
 * streams (seed, stream id, draw index), which is all a checkpoint needs to resume sampling; and the
 * registry of stream ids, which keeps every consumer of randomness in a run on its own stream.
 * Public API; streams are opened through the registry, never from a literal id.
 */
package org.ebm4j.random;
