package io.ringkv.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package graph of docs/architecture.md, checked on the compiled main classes: no cycles; the
 * pure core at the bottom without Vert.x; messaging above it; one package per verticle above that,
 * none reaching into another; {@code node} wires them and nothing but the command line imports it.
 */
class PackageGraphTest {
  static final String ROOT = "io.ringkv";
  /** Pure logic: no I/O, no Vert.x, unit-tested on its own. */
  static final List<String> CORE = List.of("version", "ring", "cluster", "config", "metrics", "merkle", "security");
  /** Event-bus messages, their codecs and addresses, the shared wire and document formats. */
  static final String MESSAGING = "messaging";
  /** The one adapter over Vert.x internals (Netty channels under Vert.x connections). */
  static final String ADAPTER = "netty";
  /** One package per verticle (or per verticle's concern). */
  static final List<String> VERTICLES = List.of("api", "coordinator", "storage", "gossip", "feed", "fault", "membership",
      "antientropy");

  private static JavaClasses classes;

  @BeforeAll
  static void importMainClasses() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages(ROOT);
  }

  @Test
  void hasNoCycles() {
    slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(classes);
  }

  @Test
  void layersDependOnlyDownwards() {
    layeredArchitecture().consideringOnlyDependenciesInLayers()
        .layer("core").definedBy(packages(CORE))
        .layer("messaging").definedBy(packages(List.of(MESSAGING)))
        .layer("adapter").definedBy(packages(List.of(ADAPTER)))
        .layer("verticles").definedBy(packages(VERTICLES))
        .layer("node").definedBy(packages(List.of("node")))
        .layer("tools").definedBy(packages(List.of("cli", "bench", "chaos")))
        .whereLayer("tools").mayNotBeAccessedByAnyLayer()
        .whereLayer("node").mayOnlyBeAccessedByLayers("tools")
        .whereLayer("verticles").mayOnlyBeAccessedByLayers("node", "tools")
        .whereLayer("messaging").mayOnlyBeAccessedByLayers("verticles", "node", "tools")
        .whereLayer("adapter").mayOnlyBeAccessedByLayers("verticles", "node", "tools")
        .check(classes);
  }

  @Test
  void verticlePackagesDoNotReachIntoEachOther() {
    for (String verticle : VERTICLES) {
      String[] others = VERTICLES.stream().filter(v -> !v.equals(verticle)).map(PackageGraphTest::pkg)
          .toArray(String[]::new);
      noClasses().that().resideInAPackage(pkg(verticle)).should().dependOnClassesThat().resideInAnyPackage(others)
          .because("each verticle's package depends only on the core and messaging; node wires them")
          .check(classes);
    }
  }

  /** Only Vert.x's JSON values, which the config loader parses conf/ringkv.json with. */
  @Test
  void pureCoreUsesNoVertxRuntime() {
    noClasses().that().resideInAnyPackage(packages(CORE))
        .should().dependOnClassesThat(resideInAnyPackage("io.vertx..", "io.netty..", "io.hazelcast..")
            .and(not(resideInAPackage("io.vertx.core.json"))))
        .check(classes);
  }

  /** The chaos checker and schedule judge a run from what the driver recorded: no Vert.x, no I/O. */
  @Test
  void chaosModelIsPure() {
    noClasses().that().resideInAPackage(ROOT + ".chaos")
        .should().dependOnClassesThat(resideInAnyPackage("io.vertx..", "io.netty..", "io.hazelcast..", "java.io..",
            "java.net..", "java.nio..", ROOT + ".cli..", ROOT + ".node.."))
        .check(classes);
  }

  private static String pkg(String name) {
    return ROOT + "." + name + "..";
  }

  private static String[] packages(List<String> names) {
    return names.stream().map(PackageGraphTest::pkg).toArray(String[]::new);
  }

}
