package org.ebm4j.tensor.contract;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the {@link org.ebm4j.tensor.Backend} / {@link org.ebm4j.tensor.Sampler} operations (method
 * names) a contract test checks against its reference. {@link BackendContract#everyOpHasAContractTest()}
 * fails the build when an operation of the SPI has no such test, or a name matches no operation.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Covers {
    String[] value();
}
