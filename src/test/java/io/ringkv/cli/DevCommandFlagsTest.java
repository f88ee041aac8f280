package io.ringkv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.ringkv.config.ConfigLoader;
import io.ringkv.config.RingkvConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** `ringkv dev --dcs 2`: dc1 is n1..n3, dc2 n4..n6, every node with the same replicas per DC; each node's flags load. */
class DevCommandFlagsTest {

  @Test
  void twoDcsOfThreeNodes() {
    DevCommand dev = new DevCommand();
    new CommandLine(dev).parseArgs("--dcs", "2", "--data-dir", "/tmp/ringkv-dev-flags");
    for (int i = 1; i <= 6; i++) {
      Map<String, String> flags = dev.nodeFlags(i);
      assertEquals(i <= 3 ? "dc1" : "dc2", flags.get("dc"), "n" + i);
      assertEquals("dc1:3,dc2:3", flags.get("replication"));
      assertEquals(6, flags.get("seeds").split(",").length);
      RingkvConfig config = ConfigLoader.fromFlags(flags);
      assertEquals(6, config.n());
      assertEquals(true, config.multiDc());
    }
  }

  @Test
  void oneDcIsAsBefore() {
    DevCommand dev = new DevCommand();
    new CommandLine(dev).parseArgs("--data-dir", "/tmp/ringkv-dev-flags");
    Map<String, String> flags = dev.nodeFlags(2);
    assertFalse(flags.containsKey("replication"));
    assertFalse(flags.containsKey("dc"));
    assertEquals("3", flags.get("n"));
  }
}
