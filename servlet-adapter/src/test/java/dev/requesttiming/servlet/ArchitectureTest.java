package dev.requesttiming.servlet;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The adapter uses the core's API and nothing of its engine. */
class ArchitectureTest {

  @Test
  void adapter_neverImportsTheCoresInternals() {
    noClasses()
        .that()
        .resideInAPackage("dev.requesttiming.servlet..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.requesttiming.core.internal..")
        .check(
            new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.requesttiming.servlet"));
  }
}
