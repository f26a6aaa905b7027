package dev.requesttiming.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The core's shape (docs/ARCHITECTURE.md, The core's layers): the API in {@code dev.requesttiming.core}, the engine in
 * {@code core.internal} by concern, each depending only on the ones below it:
 *
 * <pre>
 * live        the live view's snapshot
 * report      the slow-endpoint report
 * watchdog    flags in flight, stack samples, stuck sites
 * engine      requests in flight, endpoints, the request path
 * naming, stats, metrics
 * config      the parameter table and the checked settings
 * util        text, logs, failing open, threads, striping
 * </pre>
 *
 * Any of them may use the API's types (a budget, a report), as the API uses them.
 */
class ArchitectureTest {

  private static final JavaClasses CORE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.requesttiming.core");

  @Test
  void core_knowsNothingOfServlets() {
    noClasses()
        .that()
        .resideInAPackage("dev.requesttiming.core..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("jakarta..", "javax.servlet..", "dev.requesttiming.servlet..")
        .check(CORE);
  }

  @Test
  void internalPackages_dependOneWay_withoutCycles() {
    slices().matching("dev.requesttiming.core.internal.(*)..").should().beFreeOfCycles().check(CORE);
  }

  @Test
  void internalPackages_areLayered() {
    layeredArchitecture()
        .consideringOnlyDependenciesInLayers()
        .layer("api").definedBy("dev.requesttiming.core")
        .layer("live").definedBy("dev.requesttiming.core.internal.live..")
        .layer("report").definedBy("dev.requesttiming.core.internal.report..")
        .layer("watchdog").definedBy("dev.requesttiming.core.internal.watchdog..")
        .layer("engine").definedBy("dev.requesttiming.core.internal.engine..")
        .layer("naming").definedBy("dev.requesttiming.core.internal.naming..")
        .layer("stats").definedBy("dev.requesttiming.core.internal.stats..")
        .layer("metrics").definedBy("dev.requesttiming.core.internal.metrics..")
        .layer("config").definedBy("dev.requesttiming.core.internal.config..")
        .layer("util").definedBy("dev.requesttiming.core.internal.util..")
        .whereLayer("live").mayOnlyAccessLayers("api", "report", "watchdog", "engine", "naming", "stats", "metrics", "config", "util")
        .whereLayer("report").mayOnlyAccessLayers("api", "watchdog", "engine", "naming", "stats", "metrics", "config", "util")
        .whereLayer("watchdog").mayOnlyAccessLayers("api", "engine", "naming", "stats", "metrics", "config", "util")
        .whereLayer("engine").mayOnlyAccessLayers("api", "naming", "stats", "metrics", "config", "util")
        .whereLayer("naming").mayOnlyAccessLayers("api", "config", "util")
        .whereLayer("stats").mayOnlyAccessLayers("api", "config", "util")
        .whereLayer("metrics").mayOnlyAccessLayers("api", "config", "util")
        .whereLayer("config").mayOnlyAccessLayers("api", "util")
        .whereLayer("util").mayNotAccessAnyLayer()
        .check(CORE);
  }
}
