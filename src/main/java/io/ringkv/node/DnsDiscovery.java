package io.ringkv.node;

import com.hazelcast.cluster.Address;
import com.hazelcast.config.properties.PropertyDefinition;
import com.hazelcast.logging.ILogger;
import com.hazelcast.spi.discovery.AbstractDiscoveryStrategy;
import com.hazelcast.spi.discovery.DiscoveryNode;
import com.hazelcast.spi.discovery.DiscoveryStrategy;
import com.hazelcast.spi.discovery.DiscoveryStrategyFactory;
import com.hazelcast.spi.discovery.SimpleDiscoveryNode;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code --join dns}: the cluster's members are the addresses one DNS name resolves to (in
 * Kubernetes a headless service, one A record per pod), each at this node's cluster port.
 * Hazelcast's discovery joiner asks again on every join and split-brain merge attempt, so nodes
 * started later, or restarted with a new address, are found. The name goes through the JVM's
 * ordinary resolver ({@link InetAddress#getAllByName}): the system's hosts file and DNS, with the
 * JVM's address cache (30 s by default).
 */
final class DnsDiscovery implements DiscoveryStrategyFactory {
  private static final Logger LOG = Logger.getLogger(DnsDiscovery.class.getName());

  /** A name lookup; the JVM's resolver in production. */
  interface Resolver {
    InetAddress[] resolve(String name) throws UnknownHostException;
  }

  private final String name;
  private final int port;
  private final Resolver resolver;
  private final AtomicBoolean unresolved = new AtomicBoolean();

  DnsDiscovery(String name, int port) {
    this(name, port, InetAddress::getAllByName);
  }

  DnsDiscovery(String name, int port, Resolver resolver) {
    this.name = name;
    this.port = port;
    this.resolver = resolver;
  }

  /**
   * The member addresses behind the name, in a stable order; none while it does not resolve (the
   * node then starts alone and the next merge attempt looks again).
   */
  List<Address> members() {
    InetAddress[] found;
    try {
      found = resolver.resolve(name);
    } catch (UnknownHostException e) {
      // Said once per outage: the joiner asks every few seconds.
      LOG.log(unresolved.getAndSet(true) ? Level.FINE : Level.WARNING,
          "dns-name " + name + " does not resolve (yet): " + e.getMessage());
      return List.of();
    }
    if (unresolved.getAndSet(false)) {
      LOG.info("dns-name " + name + " resolves again");
    }
    return Arrays.stream(found).distinct()
        .sorted((a, b) -> Arrays.compare(a.getAddress(), b.getAddress()))
        .map(address -> new Address(address, port)).toList();
  }

  @Override
  public Class<? extends DiscoveryStrategy> getDiscoveryStrategyType() {
    return Strategy.class;
  }

  @Override
  public DiscoveryStrategy newDiscoveryStrategy(DiscoveryNode self, ILogger logger,
      @SuppressWarnings("rawtypes") Map<String, Comparable> properties) {
    return new Strategy(logger, properties);
  }

  @Override
  public Collection<PropertyDefinition> getConfigurationProperties() {
    return List.of();
  }

  private final class Strategy extends AbstractDiscoveryStrategy {
    Strategy(ILogger logger, @SuppressWarnings("rawtypes") Map<String, Comparable> properties) {
      super(logger, properties);
    }

    @Override
    public Iterable<DiscoveryNode> discoverNodes() {
      return members().stream().<DiscoveryNode>map(SimpleDiscoveryNode::new).toList();
    }
  }
}
