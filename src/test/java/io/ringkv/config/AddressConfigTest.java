package io.ringkv.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a node binds, what it tells others, and how it finds them ({@code --join dns}). */
class AddressConfigTest {

  @Test
  void theAdvertisedHostIsTheBoundHostUnlessGiven() {
    assertEquals("127.0.0.2", ConfigLoader.fromFlags(Map.of("host", "127.0.0.2")).advertisedHost());
    RingkvConfig pod = ConfigLoader.load(null, Map.of("RINGKV_HOST", "0.0.0.0", "RINGKV_ADVERTISE_HOST", "10.1.2.3",
        "RINGKV_JOIN", "dns", "RINGKV_DNS_NAME", "ringkv-headless"), Map.of());
    assertEquals("0.0.0.0", pod.host());
    assertEquals("10.1.2.3", pod.advertisedHost());
    assertEquals("ringkv-headless", pod.dnsName());
  }

  @Test
  void joinDnsWithoutADnsNameIsAOneLineError() {
    assertMessage("join dns needs dns-name", Map.of("join", "dns"));
    assertMessage("join dns needs dns-name", Map.of("join", "dns", "dns-name", "  "));
  }

  @Test
  void aWildcardBindNeedsAnAddressToAdvertise() {
    assertMessage("set advertise-host", Map.of("host", "0.0.0.0", "seeds", "127.0.0.1:5701"));
    assertMessage("set advertise-host", Map.of("host", "::", "join", "dns", "dns-name", "x"));
    assertMessage("advertise-host must be an address other nodes can reach",
        Map.of("host", "0.0.0.0", "advertise-host", "0.0.0.0"));
    // A node alone tells nobody anything.
    assertEquals("0.0.0.0", ConfigLoader.fromFlags(Map.of("host", "0.0.0.0", "join", "none")).advertisedHost());
  }

  private static void assertMessage(String expected, Map<String, String> flags) {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.fromFlags(flags));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    assertEquals(1, e.getMessage().lines().count(), "one line: " + e.getMessage());
  }
}
