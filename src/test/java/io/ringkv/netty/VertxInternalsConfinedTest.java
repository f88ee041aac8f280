package io.ringkv.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Only {@link VertxNetty} may use Vert.x's internal classes ({@code io.vertx.*.impl},
 * {@code io.vertx.core.internal}): they change without notice between Vert.x releases, and
 * {@link VertxNettyTest} checks what that one class relies on. Every other source file of
 * ringkv's main code must keep to Vert.x's public API.
 */
class VertxInternalsConfinedTest {
  /** A reference to an internal package, in an import or written out in code. */
  static final Pattern INTERNAL = Pattern.compile("\\bio\\.vertx(\\.\\w+)*\\.(impl|internal)\\b");
  private static final Path MAIN = Path.of("src", "main", "java");
  private static final Path ADAPTER = MAIN.resolve(Path.of("io", "ringkv", "netty", "VertxNetty.java"));

  @Test
  void onlyTheAdapterUsesVertxInternals() throws IOException {
    List<Path> sources;
    try (Stream<Path> files = Files.walk(MAIN)) {
      sources = files.filter(p -> p.toString().endsWith(".java")).toList();
    }
    assertTrue(sources.size() > 50, "the scan sees the main sources: " + sources.size() + " files in " + MAIN);
    List<Path> users = sources.stream().filter(VertxInternalsConfinedTest::usesInternals).toList();
    assertEquals(List.of(ADAPTER), users,
        "only " + ADAPTER + " may use io.vertx.*.impl or io.vertx.core.internal; add what is needed there");
  }

  @Test
  void thePatternFindsEveryFormOfReference() {
    for (String use : List.of("import io.vertx.core.net.impl.ConnectionBase;", "import io.vertx.core.impl.*;",
        "import io.vertx.core.internal.ContextInternal;", "import static io.vertx.core.impl.Utils.isWindows;",
        "((io.vertx.core.internal.VertxInternal) vertx).clusterManager()",
        "import io.vertx.ext.web.impl.RouterImpl;", "import io.vertx.core.internal.http.HttpServerRequestInternal;")) {
      assertTrue(INTERNAL.matcher(use).find(), use);
    }
    for (String publicUse : List.of("import io.vertx.core.http.HttpConnection;", "import io.vertx.core.Context;",
        "import io.vertx.ext.web.Router;", "import io.vertx.core.impls.Nothing;")) {
      assertTrue(!INTERNAL.matcher(publicUse).find(), publicUse);
    }
  }

  private static boolean usesInternals(Path source) {
    try {
      return INTERNAL.matcher(Files.readString(source)).find();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
