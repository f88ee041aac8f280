package io.ringkv.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FaultPlanTest {
  @Test
  void dropCutsBothWaysDropInboundOnlyWhatArrives() {
    FaultPlan plan = new FaultPlan(Set.of("n2"), Set.of("n3"), Map.of());
    assertTrue(plan.dropsTo("n2"));
    assertTrue(plan.dropsFrom("n2"));
    assertFalse(plan.dropsTo("n3"), "dropInbound is asymmetric: this node still sends to n3");
    assertTrue(plan.dropsFrom("n3"));
    assertFalse(plan.dropsTo("n4"));
    assertFalse(plan.dropsFrom("n4"));
  }

  @Test
  void delaysArePerNodeAndBounded() {
    FaultPlan plan = new FaultPlan(Set.of(), Set.of(), Map.of("n2", 50L));
    assertEquals(50, plan.delayFor("n2"));
    assertEquals(0, plan.delayFor("n3"));
    assertFalse(plan.isEmpty());
    assertThrows(IllegalArgumentException.class, () -> new FaultPlan(Set.of(), Set.of(), Map.of("n2", -1L)));
    assertThrows(IllegalArgumentException.class,
        () -> new FaultPlan(Set.of(), Set.of(), Map.of("n2", FaultPlan.MAX_DELAY_MS + 1)));
  }

  @Test
  void noneAndZeroDelaysAreEmpty() {
    assertTrue(FaultPlan.NONE.isEmpty());
    assertTrue(new FaultPlan(Set.of(), Set.of(), Map.of("n2", 0L)).isEmpty());
  }

  @Test
  void faultInjectionRefusesPlansWhenOff() {
    FaultInjection off = new FaultInjection(false);
    assertThrows(IllegalStateException.class, () -> off.apply(FaultPlan.NONE));
    FaultInjection on = new FaultInjection(true);
    FaultPlan plan = new FaultPlan(Set.of("n2"), Set.of(), Map.of());
    on.apply(plan);
    assertEquals(plan, on.plan());
    on.heal();
    assertEquals(FaultPlan.NONE, on.plan());
  }

  @Test
  void livenessReportsTransitionsAndCallsUnknownNodesDown() {
    Liveness before = new Liveness(Map.of("n1", MemberStatus.UP, "n2", MemberStatus.UP, "n3", MemberStatus.SUSPECT));
    Liveness after = new Liveness(Map.of("n1", MemberStatus.UP, "n2", MemberStatus.SUSPECT, "n3", MemberStatus.DOWN,
        "n4", MemberStatus.UP));
    assertEquals(java.util.List.of(new Liveness.Transition("n2", MemberStatus.UP, MemberStatus.SUSPECT),
        new Liveness.Transition("n3", MemberStatus.SUSPECT, MemberStatus.DOWN)), after.changesSince(before),
        "a member seen for the first time is no transition");
    assertTrue(after.isDown("n9"));
    assertFalse(after.isDown("n2"));
  }
}
