package org.ebm4j.cli;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleName;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleNameEndingWith;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.type;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.ebm4j.ArchitectureTest;
import org.ebm4j.train.CheckpointWriter;
import org.ebm4j.train.EpochTrainer;
import org.ebm4j.train.TrainingRun;

/** The CLI's place in the architecture: flags to options, one library call, print the result. */
@AnalyzeClasses(packages = "org.ebm4j.cli", importOptions = ImportOption.DoNotIncludeTests.class)
class CliArchitectureTest {

    /**
     * Training loops, checkpoints and resumption live in the library's one-call {@code fit} of each
     * model family, so that a Java user gets exactly what the command line gets. A command that
     * builds a trainer or drives epochs has its own copy of the loop.
     */
    @ArchTest
    static final ArchRule holdsNoTrainingLoop = noClasses()
            .that().resideInAPackage("org.ebm4j.cli..")
            .should().dependOnClassesThat(assignableTo(EpochTrainer.class)
                    .or(simpleNameEndingWith("Trainer"))
                    .or(simpleName("FineTuner"))
                    .or(type(TrainingRun.class))
                    .or(type(CheckpointWriter.class)))
            .because("commands call the library's fit and the models' methods; the epoch loop is the library's");

    /** The CLI opens random streams through the registry too. */
    @ArchTest
    static final ArchRule streamsAreOpenedThroughStreamId = ArchitectureTest.streamsAreOpenedThroughStreamId;
}
