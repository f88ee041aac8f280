package io.ringkv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RootCheckTest {
  private static JsonObject status(Object... partitionAndRoot) {
    JsonArray list = new JsonArray();
    for (int i = 0; i < partitionAndRoot.length; i += 2) {
      list.add(new JsonObject().put("partition", partitionAndRoot[i]).put("root", partitionAndRoot[i + 1]));
    }
    return new JsonObject().put("partitions", list);
  }

  @Test
  void equalRootsOnEveryHomeAgree() {
    Map<String, JsonObject> s = new LinkedHashMap<>();
    s.put("n1", status(0, "aa", 1, "bb"));
    s.put("n2", status(0, "aa", 1, "bb"));
    assertEquals(List.of(), RootCheck.compare(s, 2, 2).divergent());
  }

  @Test
  void aDifferentRootAMissingRootAndAShortHomeListAreEachReported() {
    Map<String, JsonObject> s = new LinkedHashMap<>();
    s.put("n1", status(0, "aa", 1, "bb", 2, "cc"));
    s.put("n2", status(0, "ab", 1, null));
    s.put("n3", null);
    RootCheck.Result r = RootCheck.compare(s, 3, 2);
    assertEquals(List.of(0, 1, 2), r.divergent().stream().map(d -> d.partition()).sorted().toList());
    assertEquals(3, r.partitions());
  }
}
