package pekkochat.balancer.architecture;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The balancer's package map of docs/architecture.md: wiring on top, backends at the bottom. */
class BalancerPackageMapTest {
  private static final JavaClasses MAIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("pekkochat.balancer");

  @Test
  void thereIsNoCycleBetweenPackages() {
    slices().matching("pekkochat.(**)").should().beFreeOfCycles().check(MAIN);
  }

  @Test
  void eachPackageUsesOnlyThePackagesBelowIt() {
    layeredArchitecture().consideringOnlyDependenciesInLayers()
        .layer("wiring").definedBy("pekkochat.balancer")
        .layer("front").definedBy("pekkochat.balancer.front..")
        .layer("proxy").definedBy("pekkochat.balancer.proxy..")
        .layer("status").definedBy("pekkochat.balancer.status..")
        .layer("backend").definedBy("pekkochat.balancer.backend..")
        .whereLayer("wiring").mayNotBeAccessedByAnyLayer()
        .whereLayer("front").mayOnlyBeAccessedByLayers("wiring")
        .whereLayer("proxy").mayOnlyBeAccessedByLayers("wiring", "front")
        .whereLayer("status").mayOnlyBeAccessedByLayers("wiring")
        .whereLayer("backend").mayOnlyBeAccessedByLayers("wiring", "front", "proxy", "status")
        .check(MAIN);
  }
}
