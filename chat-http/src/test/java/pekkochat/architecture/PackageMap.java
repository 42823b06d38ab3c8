package pekkochat.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.lang.ArchRule;

/**
 * The node's package map of docs/architecture.md as ArchUnit rules. Each package may use only the
 * packages below it; chat-core's domain packages know neither HTTP nor the JSON wire format. The
 * bridge (chat-core too) writes its own Redis messages with Jackson, as Pekko's serializer does for
 * messages between cluster nodes; it never sees a client's frame.
 */
final class PackageMap {
  private PackageMap() {}

  static final String[] CORE = {"pekkochat.common..", "pekkochat.room..", "pekkochat.fanout..",
      "pekkochat.presence..", "pekkochat.storage.."};

  static ArchRule noCycles() {
    return slices().matching("pekkochat.(*)..").should().beFreeOfCycles();
  }

  static ArchRule layers() {
    return layeredArchitecture().consideringOnlyDependenciesInLayers()
        .layer("node").definedBy("pekkochat.node..")
        .layer("http").definedBy("pekkochat.http..")
        .layer("ops").definedBy("pekkochat.ops..")
        .layer("transport").definedBy("pekkochat.transport..")
        .layer("connection").definedBy("pekkochat.connection..")
        .layer("auth").definedBy("pekkochat.auth..")
        .layer("wire").definedBy("pekkochat.wire..")
        .layer("bridge").definedBy("pekkochat.bridge..")
        .layer("fanout").definedBy("pekkochat.fanout..")
        .layer("storage").definedBy("pekkochat.storage..")
        .layer("presence").definedBy("pekkochat.presence..")
        .layer("room").definedBy("pekkochat.room..")
        .layer("common").definedBy("pekkochat.common..")
        .whereLayer("node").mayNotBeAccessedByAnyLayer()
        .whereLayer("http").mayOnlyBeAccessedByLayers("node")
        .whereLayer("ops").mayOnlyBeAccessedByLayers("node")
        .whereLayer("transport").mayOnlyBeAccessedByLayers("node")
        .whereLayer("connection").mayOnlyBeAccessedByLayers("http", "node")
        .whereLayer("auth").mayOnlyBeAccessedByLayers("connection", "http", "node")
        .whereLayer("wire").mayOnlyBeAccessedByLayers("connection", "http", "node")
        .whereLayer("bridge").mayOnlyBeAccessedByLayers("node")
        .whereLayer("fanout").mayOnlyBeAccessedByLayers("bridge", "connection", "http", "node")
        .whereLayer("storage").mayOnlyBeAccessedByLayers("auth", "http", "node")
        .whereLayer("presence").mayOnlyBeAccessedByLayers("bridge", "wire", "connection", "http", "node")
        .whereLayer("room").mayOnlyBeAccessedByLayers("bridge", "fanout", "storage", "wire", "connection", "http", "node");
  }

  static ArchRule coreKnowsNoHttpNorWireJson() {
    return noClasses().that().resideInAnyPackage(CORE)
        .should().dependOnClassesThat().resideInAnyPackage(
            "org.apache.pekko.http..", "com.fasterxml.jackson.databind..", "com.fasterxml.jackson.core..");
  }
}
