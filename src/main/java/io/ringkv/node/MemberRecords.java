package io.ringkv.node;

import io.ringkv.cluster.MemberInfo;
import io.ringkv.messaging.GossipDigest;
import io.ringkv.storage.KeyLayout;
import io.ringkv.storage.Mutation;
import io.ringkv.storage.StorageEngine;
import java.util.List;

/**
 * Ring members remembered in the node's own LevelDB (meta key {@code members}), so that a
 * restarted node keeps its join time and knows the ring before anyone gossips to it. Blocking.
 */
public final class MemberRecords {
  private static final byte[] KEY = KeyLayout.metaKey("members");

  private MemberRecords() {}

  public static List<MemberInfo> load(StorageEngine engine) {
    byte[] bytes = engine.get(KEY);
    return bytes == null ? List.of() : GossipDigest.decode(bytes).members();
  }

  public static void save(StorageEngine engine, List<MemberInfo> members) {
    engine.write(List.of(Mutation.put(KEY, GossipDigest.encode(new GossipDigest("", members)))), true);
  }
}
