package io.ringkv.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The role table of API.md "Security", row by row, and the spellings of a path that must not need less. */
class AccessPolicyTest {

  @Test
  void probesAndTheDemoPageAreOpen() {
    assertEquals(Set.of(), AccessPolicy.required("GET", "/health"));
    assertEquals(Set.of(), AccessPolicy.required("GET", "/ready"));
    assertEquals(Set.of(), AccessPolicy.required("GET", "/"));
    assertEquals(Set.of(), AccessPolicy.required("GET", "/js/api.js"));
    assertEquals(Set.of(Role.READ), AccessPolicy.required("POST", "/health"), "only GET of a probe is open");
  }

  @Test
  void dataEndpointsNeedReadOrWrite() {
    assertEquals(Set.of(Role.READ), AccessPolicy.required("GET", "/kv/a"));
    assertEquals(Set.of(Role.WRITE), AccessPolicy.required("PUT", "/kv/a"));
    assertEquals(Set.of(Role.WRITE), AccessPolicy.required("DELETE", "/kv/a"));
    assertEquals(Set.of(Role.READ), AccessPolicy.required("POST", "/kv/a"), "authenticated before its 405");
    assertEquals(Set.of(Role.READ), AccessPolicy.required("GET", "/feed"));
  }

  @Test
  void clusterMetricsAndFaults() {
    assertEquals(Set.of(Role.READ), AccessPolicy.required("GET", "/cluster"));
    assertEquals(Set.of(Role.READ), AccessPolicy.required("GET", "/cluster/preference/k"));
    assertEquals(Set.of(Role.ADMIN), AccessPolicy.required("POST", "/cluster/members/n4/join"));
    assertEquals(Set.of(Role.ADMIN), AccessPolicy.required("POST", "/cluster/antientropy/run"));
    assertEquals(Set.of(Role.ADMIN), AccessPolicy.required("DELETE", "/cluster/faults"));
    assertEquals(Set.of(Role.ADMIN), AccessPolicy.required("GET", "/cluster/faults"));
    assertEquals(Set.of(Role.ADMIN), AccessPolicy.required("GET", "/metrics"));
    assertEquals(Set.of(Role.ADMIN), AccessPolicy.required("GET", "/metrics/"));
  }

  @Test
  void everySpellingOfAPathCounts() {
    assertEquals(Set.of(Role.ADMIN), AccessPolicy.required("GET", "/x/../metrics", "/metrics"));
    assertEquals(EnumSet.of(Role.READ, Role.ADMIN), AccessPolicy.required("GET", "/kv/../metrics", "/metrics"));
  }

  @Test
  void adminImpliesTheOthersAndReadIsNotWrite() {
    assertEquals(AuthOutcome.ALLOWED, AccessPolicy.decide(Set.of(Role.ADMIN), EnumSet.allOf(Role.class)));
    assertEquals(AuthOutcome.FORBIDDEN, AccessPolicy.decide(Set.of(Role.READ), Set.of(Role.WRITE)));
    assertEquals(AuthOutcome.ALLOWED, AccessPolicy.decide(Set.of(Role.READ, Role.WRITE), Set.of(Role.WRITE)));
    assertEquals(AuthOutcome.FORBIDDEN, AccessPolicy.decide(Set.of(Role.WRITE), Set.of(Role.READ)));
    assertEquals(AuthOutcome.UNAUTHORIZED, AccessPolicy.decide(null, Set.of(Role.READ)));
    assertEquals(AuthOutcome.ALLOWED, AccessPolicy.decide(null, Set.of()));
  }

  @Test
  void bearerHeaders() {
    assertEquals("abc", AccessPolicy.bearerToken("Bearer abc"));
    assertEquals("abc", AccessPolicy.bearerToken("bearer   abc "));
    assertNull(AccessPolicy.bearerToken("Basic abc"));
    assertNull(AccessPolicy.bearerToken("Bearer "));
    assertNull(AccessPolicy.bearerToken("Bearerabc"));
    assertNull(AccessPolicy.bearerToken(null));
    assertNull(AccessPolicy.bearerToken("Bearer " + "x".repeat(Tokens.MAX_TOKEN_CHARS + 1)));
  }
}
