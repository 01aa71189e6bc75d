package dev.parley.node;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/** The module layering of ARCHITECTURE.md, checked on the compiled classes of every module. */
class LayeringTest {

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.parley");
  }

  @Test
  void persistenceIsInfrastructureOnly() {
    noClasses().that().resideInAPackage("dev.parley.persistence..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "dev.parley.registry..", "dev.parley.call..", "dev.parley.http..", "dev.parley.node..")
        .check(classes);
  }

  @Test
  void domainCodeDoesNotSpeakHttp() {
    noClasses().that().resideInAnyPackage("dev.parley.registry..", "dev.parley.call..")
        .and().resideOutsideOfPackage("dev.parley.call.providers..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "org.apache.pekko.http..", "dev.parley.http..", "dev.parley.node..")
        .allowEmptyShould(true)
        .check(classes);
  }

  /** Providers are HTTP and WebSocket clients of other services, never part of our own API. */
  @Test
  void providersDoNotReachIntoOurApiOrTheirCalls() {
    noClasses().that().resideInAPackage("dev.parley.call.providers..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "dev.parley.http..", "dev.parley.node..", "dev.parley.call.live..", "dev.parley.registry..")
        .allowEmptyShould(true)
        .check(classes);
  }

  @Test
  void routesDoNotReachIntoPersistenceInternals() {
    noClasses().that().resideInAPackage("dev.parley.http..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "dev.parley.persistence.cassandra..", "org.apache.pekko.persistence.cassandra..",
            "com.datastax..", "dev.parley.node..")
        .check(classes);
  }

  @Test
  void routesReadTheCallListThroughTheReadSideNotItsStorage() {
    noClasses().that().resideInAPackage("dev.parley.http..")
        .should().dependOnClassesThat().haveSimpleNameStartingWith("Cassandra")
        .orShould().dependOnClassesThat().haveSimpleNameEndingWith("Repository")
        .check(classes);
  }

  @Test
  void nothingDependsOnTheNodeMain() {
    noClasses().that().resideOutsideOfPackage("dev.parley.node..")
        .should().dependOnClassesThat().resideInAPackage("dev.parley.node..")
        .check(classes);
  }
}
