package org.ebm4j;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.type;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.AbstractTensor;
import org.ebm4j.tensor.CheckedBackend;
import org.ebm4j.tensor.CheckedSampler;
import org.ebm4j.tensor.HeapTensor;

/**
 * The dependency rules of core's main classes. The stream rule is public so that the modules that
 * depend on core (the CLI) apply the same rule to their own classes.
 */
@AnalyzeClasses(packages = "org.ebm4j", importOptions = ImportOption.DoNotIncludeTests.class)
public class ArchitectureTest {

    /** The packages of the model families and their evaluation. */
    static final String[] MODELS = {
        "org.ebm4j.rbm..", "org.ebm4j.dbn..", "org.ebm4j.boltzmann..", "org.ebm4j.hopfield..",
        "org.ebm4j.energy..", "org.ebm4j.hmc..", "org.ebm4j.eval..", "org.ebm4j.conditional..", "org.ebm4j.structured.."
    };

    /**
     * Models use a {@code Backend}'s operations (the one-call {@code fit} methods may ask
     * {@code Backends} for the default one); providing or implementing a backend is the backend
     * modules' business.
     */
    @ArchTest
    static final ArchRule modelsUseTheTensorApiOnly = noClasses()
            .that().resideInAnyPackage(MODELS)
            .should().dependOnClassesThat(resideInAPackage("org.ebm4j.tensor.spi..")
                    .or(type(AbstractTensor.class))
                    .or(type(HeapTensor.class))
                    .or(type(CheckedBackend.class))
                    .or(type(CheckedSampler.class)))
            .because("models run on whichever backend they are given; providing a backend (tensor.spi) and "
                    + "implementing one (AbstractTensor, HeapTensor, the checked facades) are not theirs");

    /** Packages form layers: no package reaches back into one that depends on it. */
    @ArchTest
    static final ArchRule noCyclesBetweenPackages = slices()
            .matching("org.ebm4j.(*)..")
            .namingSlices("$1")
            .should().beFreeOfCycles();

    /**
     * Every random stream is opened through {@code StreamId}, so that stream ids live in one
     * registry and no two consumers of a run share one. Constructing a stream or forking one by id
     * outside {@code org.ebm4j.random} bypasses the registry.
     */
    @ArchTest
    public static final ArchRule streamsAreOpenedThroughStreamId = noClasses()
            .that().resideOutsideOfPackage("org.ebm4j.random..")
            .should().callCodeUnitWhere(describe("a RandomStream constructor or RandomStream.fork",
                    (JavaCall<?> call) -> call.getTargetOwner().isEquivalentTo(RandomStream.class)
                            && (call.getName().equals("<init>") || call.getName().equals("fork"))))
            .because("streams are opened with org.ebm4j.random.StreamId.X.open(seed), never from a numeric id");
}
