package org.ebm4j.cpu;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A test run once per awkward shape of {@link TestBackends#SHAPES}, with {@code (int rows, int cols)}
 * as its parameters, so a failure names the shape it failed on.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedTest(name = "{0}x{1}")
@MethodSource("org.ebm4j.cpu.TestBackends#shapes")
@interface EveryShape {
}
