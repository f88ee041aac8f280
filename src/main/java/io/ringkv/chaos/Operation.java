package io.ringkv.chaos;

import java.util.List;
import java.util.Objects;

/**
 * One client operation of a chaos run as the client saw it: what it sent (the key, the value of a
 * PUT, the operation whose answer gave the causal context it sent) and what came back (the outcome
 * and, for a read, the live values it returned).
 *
 * <p>Every PUT carries a value no other write uses, so a value seen anywhere names the one write
 * that made it. A DELETE writes a tombstone, which carries no value: it is known only by what its
 * context covered.
 *
 * @param contextFrom the id of the operation whose answer gave the {@code X-Context} sent with this
 *     write, or {@link #NO_CONTEXT} for a blind write (and for reads)
 * @param seen the live sibling values a successful read returned (empty otherwise)
 * @param startNanos when the request was sent; {@code endNanos} when its answer (or failure) came,
 *     both from one monotonic clock of the client process
 * @param node the node the request was sent to
 * @param detail the status or error, for reports
 */
public record Operation(long id, int client, Kind kind, String key, String value, long contextFrom,
    Outcome outcome, List<String> seen, long startNanos, long endNanos, String node, String detail) {

  public static final long NO_CONTEXT = -1;

  public enum Kind { READ, PUT, DELETE }

  /**
   * {@code OK}: acknowledged (a 2xx answer; also 404 for a read). {@code FAILED}: refused with an
   * answer (503 and the like): a write may still have been applied on fewer than W replicas.
   * {@code UNKNOWN}: no answer (timeout, lost connection): it may or may not have been applied.
   */
  public enum Outcome { OK, FAILED, UNKNOWN }

  public Operation {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(outcome, "outcome");
    seen = seen == null ? List.of() : List.copyOf(seen);
    if (kind == Kind.PUT && value == null) {
      throw new IllegalArgumentException("a PUT carries a value");
    }
    if (kind == Kind.READ && contextFrom != NO_CONTEXT) {
      throw new IllegalArgumentException("a read sends no context");
    }
  }

  public boolean isWrite() {
    return kind != Kind.READ;
  }

  public boolean acknowledged() {
    return outcome == Outcome.OK;
  }

  public boolean hasContext() {
    return contextFrom != NO_CONTEXT;
  }

  public long latencyNanos() {
    return endNanos - startNanos;
  }
}
