package io.ringkv.testing;

import io.ringkv.chaos.CheckReport;
import io.ringkv.chaos.Operation;
import io.ringkv.chaos.Violation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** Makes a failed history check readable: every operation on the keys it names, in order. */
public final class HistoryDump {
  private HistoryDump() {}

  /** The violations, then every operation on their keys, with times in ms since {@code zeroNanos}. */
  public static String explain(CheckReport report, List<Operation> ops, long zeroNanos) {
    Set<String> keys = report.violations().stream().map(Violation::key).limit(5).collect(Collectors.toSet());
    StringBuilder out = new StringBuilder();
    report.violations().stream().limit(20).forEach(v -> out.append('\n').append(v));
    for (Operation o : ops) {
      if (keys.contains(o.key())) {
        out.append('\n').append(line(o, zeroNanos));
      }
    }
    return out.toString();
  }

  /** Writes every operation, one per line, for reading after a failed run. */
  public static void write(List<Operation> ops, long zeroNanos, Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Files.write(file, ops.stream().map(o -> line(o, zeroNanos)).toList());
  }

  static String line(Operation o, long zeroNanos) {
    return String.format("%+9d ms %6d ms #%d c%d %s %s %s%s via %s -> %s %s %s",
        TimeUnit.NANOSECONDS.toMillis(o.startNanos() - zeroNanos), TimeUnit.NANOSECONDS.toMillis(o.latencyNanos()),
        o.id(), o.client(), o.kind(), o.key(), o.value() == null ? "" : o.value(),
        o.hasContext() ? " ctx#" + o.contextFrom() : "", o.node(), o.outcome(), o.detail(),
        o.seen().isEmpty() ? "" : "saw " + o.seen());
  }
}
