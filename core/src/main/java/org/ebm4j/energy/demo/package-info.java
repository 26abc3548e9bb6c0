/** Data sets of the demonstrations: the four squares and the grid of clusters with one missing. */
package org.ebm4j.energy.demo;
