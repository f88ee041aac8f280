package io.ringkv.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.cluster.Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * The member list {@code --join dns} hands Hazelcast. Names that really resolve to several
 * addresses are exercised end to end by DnsJoinIT and ImageStartIT; here, the shape of the list.
 */
class DnsDiscoveryTest {

  @Test
  void everyAddressOfTheNameAtTheClusterPortOnceInAStableOrder() throws Exception {
    InetAddress one = InetAddress.getByName("127.0.0.1");
    InetAddress three = InetAddress.getByName("127.0.0.3");
    DnsDiscovery discovery = new DnsDiscovery("peers", 5701, name -> new InetAddress[] {three, one, three});
    assertEquals(List.of(new Address("127.0.0.1", 5701), new Address("127.0.0.3", 5701)), discovery.members());
  }

  @Test
  void aNameThatDoesNotResolveYetMeansNoPeersNotAFailure() {
    DnsDiscovery discovery = new DnsDiscovery("ringkv-headless", 5701, name -> {
      throw new UnknownHostException(name);
    });
    assertEquals(List.of(), discovery.members());
    assertEquals(List.of(), discovery.members());
  }

  @Test
  void theSystemResolverAnswersThroughTheHazelcastStrategy() {
    DnsDiscovery discovery = new DnsDiscovery("localhost", 5801);
    List<Address> found = StreamSupport.stream(
            discovery.newDiscoveryStrategy(null, null, java.util.Map.of()).discoverNodes().spliterator(), false)
        .map(node -> node.getPrivateAddress()).toList();
    assertTrue(found.stream().anyMatch(a -> a.getPort() == 5801 && a.getHost().equals("127.0.0.1")), found.toString());
  }
}
