package io.ringkv.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Registered for every test (JUnit extension auto-detection): fails the test during which Vert.x
 * reported a blocked event-loop or worker thread.
 */
public final class BlockedThreadGuard implements AfterEachCallback, AfterAllCallback {
  /** Held statically: JUL keeps loggers weakly, and a collected logger loses its handler. */
  private static final Logger CHECKER = Logger.getLogger("io.vertx.core.impl.BlockedThreadChecker");
  private static final List<String> WARNINGS = new ArrayList<>();

  static {
    CHECKER.addHandler(new Handler() {
      @Override
      public void publish(LogRecord record) {
        if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
          synchronized (WARNINGS) {
            WARNINGS.add(String.valueOf(record.getMessage()));
          }
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    });
  }

  @Override
  public void afterEach(ExtensionContext context) {
    check(context.getDisplayName());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    check(context.getDisplayName() + " (class-level)");
  }

  private static void check(String where) {
    List<String> seen;
    synchronized (WARNINGS) {
      seen = new ArrayList<>(WARNINGS);
      WARNINGS.clear();
    }
    if (!seen.isEmpty()) {
      throw new AssertionError("Vert.x reported blocked threads during " + where + ": " + seen);
    }
  }

  /** For the guard's own test: takes the warnings seen so far. */
  static List<String> drain() {
    synchronized (WARNINGS) {
      List<String> seen = new ArrayList<>(WARNINGS);
      WARNINGS.clear();
      return seen;
    }
  }
}
