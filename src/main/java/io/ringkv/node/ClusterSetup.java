package io.ringkv.node;

import com.hazelcast.config.Config;
import com.hazelcast.config.DiscoveryStrategyConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.ringkv.config.RingkvConfig;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;

/**
 * Hazelcast configuration for member discovery and the clustered event bus ONLY. Liveness, ring
 * membership and data never depend on Hazelcast: our gossip decides those.
 */
final class ClusterSetup {
  private ClusterSetup() {}

  static Config hazelcast(RingkvConfig config) {
    Config hz = ConfigUtil.loadConfig();
    hz.setClusterName("ringkv");
    hz.setInstanceName("ringkv-" + config.id());
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    hz.setProperty("hazelcast.wait.seconds.before.join", "0");
    hz.setProperty("hazelcast.logging.type", "jdk");
    hz.setProperty("hazelcast.health.monitoring.level", "OFF");
    // Hazelcast only carries the event bus here; collecting its own metrics every few seconds was
    // a fifth of an idle node's CPU, and nothing reads them (ours are at /metrics).
    hz.getMetricsConfig().setEnabled(false);
    // We stop Vert.x (which leaves the cluster) in our own SIGTERM hook.
    hz.setProperty("hazelcast.shutdownhook.enabled", "false");
    hz.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    // Our gossip decides liveness; Hazelcast dropping a member only splits the event bus. A member
    // it dropped comes back through a split-brain merge, after which vertx-hazelcast 5.0.7 does not
    // restore that node's event-bus registrations (docs/failure-handling.md, "Limits"). So
    // Hazelcast waits far longer than any pause or partition the detector is meant to ride out.
    hz.setProperty("hazelcast.max.no.heartbeat.seconds", "60");
    // Nodes started at the same moment may each form a cluster first; merge them quickly.
    hz.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
    hz.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
    NetworkConfig net = hz.getNetworkConfig();
    net.setPort(config.clusterPort()).setPortAutoIncrement(false);
    net.getInterfaces().setEnabled(false);
    bindTo(hz, config);
    net.setPublicAddress(config.advertisedHost() + ":" + config.clusterPort());
    JoinConfig join = net.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getAwsConfig().setEnabled(false);
    join.getKubernetesConfig().setEnabled(false);
    if ("dns".equals(config.join())) {
      // The members are the addresses behind one DNS name (a Kubernetes headless service),
      // looked up again on every join and merge attempt, so pods that come later are found.
      join.getTcpIpConfig().setEnabled(false);
      hz.setProperty("hazelcast.discovery.enabled", "true");
      join.getDiscoveryConfig().addDiscoveryStrategyConfig(
          new DiscoveryStrategyConfig(new DnsDiscovery(config.dnsName(), config.clusterPort())));
    } else {
      join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(2);
      // Members one by one: a port range together with interfaces crashes Hazelcast 5.3.
      config.seeds().forEach(seed -> join.getTcpIpConfig().addMember(seed));
    }
    return hz;
  }

  /**
   * A wildcard host binds every interface (a pod's own network namespace) and names the advertised
   * address as the member's own; any other host binds exactly that address, so several nodes can
   * share one machine and one cluster port on 127.0.0.1, 127.0.0.2, ...
   */
  private static void bindTo(Config hz, RingkvConfig config) {
    boolean wildcard = RingkvConfig.isWildcard(config.host());
    hz.setProperty("hazelcast.local.localAddress", wildcard ? config.advertisedHost() : config.host());
    hz.setProperty("hazelcast.socket.bind.any", Boolean.toString(wildcard));
  }
}
