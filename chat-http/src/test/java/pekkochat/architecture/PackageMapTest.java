package pekkochat.architecture;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The node's classes (chat-core and chat-http) keep docs/architecture.md's package map. */
class PackageMapTest {
  private static final JavaClasses MAIN =
      new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("pekkochat");

  /** Main code plus one test class in pekkochat.room that uses fan-out's relay: the cycle the map forbids. */
  private static final JavaClasses WITH_DELIBERATE_CYCLE = new ClassFileImporter()
      .withImportOption(location -> !ImportOption.Predefined.DO_NOT_INCLUDE_TESTS.includes(location)
          ? location.contains("DeliberateCycleFixture") : true)
      .importPackages("pekkochat");

  @Test
  void thereIsNoCycleBetweenPackages() {
    PackageMap.noCycles().check(MAIN);
  }

  @Test
  void eachPackageUsesOnlyThePackagesBelowIt() {
    PackageMap.layers().check(MAIN);
  }

  @Test
  void chatCoreKnowsNeitherHttpNorTheWireFormat() {
    PackageMap.coreKnowsNoHttpNorWireJson().check(MAIN);
  }

  @Test
  void theRulesCatchADeliberateCycle() {
    assertTrue(WITH_DELIBERATE_CYCLE.contain("pekkochat.room.DeliberateCycleFixture"), "the fixture was imported");
    assertFalse(PackageMap.noCycles().evaluate(WITH_DELIBERATE_CYCLE).getFailureReport().isEmpty(),
        "room -> fanout -> room is a cycle");
    assertFalse(PackageMap.layers().evaluate(WITH_DELIBERATE_CYCLE).getFailureReport().isEmpty(),
        "room may not use fanout");
  }
}
