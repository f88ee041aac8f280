package io.ringkv.chaos;

/**
 * One thing the history checker found wrong.
 *
 * @param node the node concerned, or null
 * @param value the value concerned, or null
 */
public record Violation(Type type, String key, String value, String node, String detail) {

  public enum Type {
    /** An acknowledged write whose value is gone although no write's context covered it. */
    LOST,
    /** A value read (during the run or at the end) that no write sent to that key before the read. */
    PHANTOM,
    /** A value still there although an acknowledged write's context covered (superseded) it. */
    RESURRECTED,
    /** Nodes or replicas that answer differently for the key after healing. */
    DIVERGENT,
    /** A key some node could not read back after healing. */
    UNREADABLE
  }

  @Override
  public String toString() {
    return type.name().toLowerCase() + " key=" + key + (value == null ? "" : " value=" + value)
        + (node == null ? "" : " node=" + node) + ": " + detail;
  }
}
