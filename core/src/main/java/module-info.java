/**
 * ebm4j core: the backend-neutral tensor and sampler SPI, the Philox generator, the model families
 * (RBM, DBN, general Boltzmann machines, Hopfield networks, HMC and energy models), data, evaluation,
 * training and model files. Every package is API. Backends are separate modules found with
 * {@link java.util.ServiceLoader} through {@link org.ebm4j.tensor.spi.BackendProvider}; at least one
 * (usually {@code org.ebm4j.cpu}) must be on the module path or the class path.
 */
module org.ebm4j.core {
    requires org.slf4j;
    requires transitive java.desktop;

    exports org.ebm4j.boltzmann;
    exports org.ebm4j.data;
    exports org.ebm4j.dbn;
    exports org.ebm4j.energy;
    exports org.ebm4j.energy.demo;
    exports org.ebm4j.energy.loss;
    exports org.ebm4j.eval;
    exports org.ebm4j.hmc;
    exports org.ebm4j.hopfield;
    exports org.ebm4j.io;
    exports org.ebm4j.random;
    exports org.ebm4j.rbm;
    exports org.ebm4j.tensor;
    exports org.ebm4j.tensor.spi;
    exports org.ebm4j.train;

    uses org.ebm4j.tensor.spi.BackendProvider;
}
