package io.ringkv.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.ringkv.cluster.FaultPlan;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PublishFaultsTest {
  @Test
  void namesEachNodeThatMustDropOrDelayAPublishedMessage() {
    FaultPlan plan = new FaultPlan(Set.of("n2", "n10"), Set.of("n5"), Map.of("n3", 40L, "n2", 9L));
    String header = EventBusFaults.PublishFaults.encode(plan);
    assertEquals(-1, EventBusFaults.PublishFaults.actionFor(header, "n2"), "drop wins over a delay");
    assertEquals(-1, EventBusFaults.PublishFaults.actionFor(header, "n10"));
    assertEquals(40, EventBusFaults.PublishFaults.actionFor(header, "n3"));
    assertEquals(0, EventBusFaults.PublishFaults.actionFor(header, "n1"), "n1 is not n10's prefix match");
    assertEquals(0, EventBusFaults.PublishFaults.actionFor(header, "n5"),
        "dropInbound is about what arrives here, not what this node publishes");
  }

  @Test
  void nothingToSayIsNoHeader() {
    assertNull(EventBusFaults.PublishFaults.encode(FaultPlan.NONE));
    assertNull(EventBusFaults.PublishFaults.encode(new FaultPlan(Set.of(), Set.of("n2"), Map.of())));
  }
}
