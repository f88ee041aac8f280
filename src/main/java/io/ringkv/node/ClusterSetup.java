package io.ringkv.node;

import com.hazelcast.config.Config;
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
    hz.setProperty("hazelcast.max.no.heartbeat.seconds", "10");
    // Nodes started at the same moment may each form a cluster first; merge them quickly.
    hz.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
    hz.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
    NetworkConfig net = hz.getNetworkConfig();
    net.setPort(config.clusterPort()).setPortAutoIncrement(false);
    net.getInterfaces().setEnabled(false);
    net.setPublicAddress(config.host() + ":" + config.clusterPort());
    JoinConfig join = net.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getAwsConfig().setEnabled(false);
    if ("dns".equals(config.join())) {
      // Kubernetes: the members are the addresses behind a headless service's DNS name.
      join.getTcpIpConfig().setEnabled(false);
      join.getKubernetesConfig().setEnabled(true)
          .setProperty("service-dns", config.dnsName())
          .setProperty("service-port", Integer.toString(config.clusterPort()));
    } else {
      join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(2);
      // Members one by one: a port range together with interfaces crashes Hazelcast 5.3.
      config.seeds().forEach(seed -> join.getTcpIpConfig().addMember(seed));
    }
    return hz;
  }
}
