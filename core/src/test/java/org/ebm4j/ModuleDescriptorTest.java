package org.ebm4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.spi.BackendProvider;
import org.junit.jupiter.api.Test;

/**
 * Core's {@code module-info}: it must export every package that holds public classes, except
 * packages named {@code internal}, and declare that it loads backends. A package added without
 * its {@code exports} line compiles and works on the class path but is invisible on the module
 * path; this test is what notices.
 */
class ModuleDescriptorTest {

    @Test
    void exportsExactlyThePublicPackages() throws IOException, URISyntaxException {
        Set<String> publicPackages = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.ebm4j")
                .stream()
                .filter(c -> c.getModifiers().contains(JavaModifier.PUBLIC))
                .map(JavaClass::getPackageName)
                .filter(p -> !p.contains(".internal"))
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> exported = descriptor().exports().stream()
                .filter(e -> !e.isQualified())
                .map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toCollection(TreeSet::new));

        assertEquals(publicPackages, exported,
                "core/src/main/java/module-info.java must export exactly the packages with public classes");
    }

    @Test
    void usesTheBackendProviderService() throws IOException, URISyntaxException {
        ModuleDescriptor d = descriptor();
        assertEquals("org.ebm4j.core", d.name());
        assertTrue(d.uses().contains(BackendProvider.class.getName()),
                "module-info must declare 'uses " + BackendProvider.class.getName() + "', found " + d.uses());
    }

    /** The descriptor compiled into core's main classes, whether the tests run on the class or module path. */
    private static ModuleDescriptor descriptor() throws IOException, URISyntaxException {
        Path classes = Path.of(Tensor.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
            return ModuleDescriptor.read(in);
        }
    }
}
