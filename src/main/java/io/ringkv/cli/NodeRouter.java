package io.ringkv.cli;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * Which nodes clients send requests to, as a load balancer with health checks would: the fault
 * driver takes a node out while it is killed or paused and puts it back once it serves again. A
 * partitioned node stays in: its clients keep writing on their side of the cut.
 */
public final class NodeRouter {
  private final Map<String, Integer> ports;
  private final Set<String> available = new ConcurrentSkipListSet<>();

  public NodeRouter(Map<String, Integer> ports) {
    this.ports = Map.copyOf(ports);
    available.addAll(ports.keySet());
  }

  /** A node to send to, uniformly among the available ones, or null if none is. */
  public String pick(Random random) {
    List<String> nodes = new ArrayList<>(available);
    return nodes.isEmpty() ? null : nodes.get(random.nextInt(nodes.size()));
  }

  public int port(String node) {
    return ports.get(node);
  }

  public Collection<String> nodes() {
    return new TreeSet<>(ports.keySet());
  }

  public void takeOut(String node) {
    available.remove(node);
  }

  public void putBack(String node) {
    available.add(node);
  }
}
