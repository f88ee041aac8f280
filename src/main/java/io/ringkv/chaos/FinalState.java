package io.ringkv.chaos;

import java.util.Map;
import java.util.TreeMap;

/**
 * Every key read back after healing.
 *
 * @param coordinators key to node to what a quorum read of all replicas ({@code r=all})
 *     coordinated by that node returned
 * @param replicas key to home replica to what that replica alone held (read at {@code r=1} while
 *     it could reach no other node); empty when the run did not check replicas one by one
 * @param unreadable keys some node could not read back after retries, with the nodes and the last error
 */
public record FinalState(Map<String, Map<String, KeyState>> coordinators,
    Map<String, Map<String, KeyState>> replicas, Map<String, String> unreadable) {

  public FinalState {
    coordinators = copy(coordinators);
    replicas = copy(replicas);
    unreadable = Map.copyOf(unreadable);
  }

  private static Map<String, Map<String, KeyState>> copy(Map<String, Map<String, KeyState>> byKey) {
    Map<String, Map<String, KeyState>> out = new TreeMap<>();
    byKey.forEach((key, byNode) -> out.put(key, Map.copyOf(new TreeMap<>(byNode))));
    return Map.copyOf(out);
  }
}
