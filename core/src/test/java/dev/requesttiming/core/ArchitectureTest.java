package dev.requesttiming.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

  @Test
  void core_knowsNothingOfServlets() {
    noClasses()
        .that()
        .resideInAPackage("dev.requesttiming.core..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("jakarta..", "javax.servlet..", "dev.requesttiming.servlet..")
        .check(
            new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.requesttiming.core"));
  }
}
