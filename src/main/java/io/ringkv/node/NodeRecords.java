package io.ringkv.node;

import io.ringkv.cluster.MemberInfo;
import io.ringkv.cluster.RingStore;
import io.ringkv.messaging.GossipDigest;
import io.ringkv.messaging.Wire;
import io.ringkv.ring.Member;
import io.ringkv.ring.RingCodec;
import io.ringkv.ring.RingState;
import io.ringkv.storage.KeyLayout;
import io.ringkv.storage.Mutation;
import io.ringkv.storage.StorageEngine;
import java.util.ArrayList;
import java.util.List;

/**
 * What a node remembers about the cluster in its own LevelDB (meta keys, synced writes): the
 * members it has heard of with their addresses (so a restarted node knows whom to gossip with),
 * the ring it last agreed on, and its promises in the ring agreement. Blocking.
 *
 * <p>Data dirs from before membership was explicit hold only {@code members}, with the join times
 * every node replayed to compute the ring: {@link #loadRing()} turns those into the same ring, as
 * an agreed state, so such a cluster keeps its partitions.
 */
final class NodeRecords implements RingStore {
  private static final byte[] MEMBERS = KeyLayout.metaKey("members.v2");
  private static final byte[] LEGACY_MEMBERS = KeyLayout.metaKey("members");
  private static final byte[] RING = KeyLayout.metaKey("ring");
  private static final byte[] ACCEPTOR = KeyLayout.metaKey("ring-acceptor");

  private final StorageEngine engine;
  private final int partitions;

  NodeRecords(StorageEngine engine, int partitions) {
    this.engine = engine;
    this.partitions = partitions;
  }

  List<MemberInfo> loadMembers() {
    byte[] bytes = engine.get(MEMBERS);
    return bytes != null ? GossipDigest.decode(bytes).members() : legacyMembers();
  }

  void saveMembers(List<MemberInfo> members) {
    put(MEMBERS, GossipDigest.encode(new GossipDigest("", members)));
  }

  @Override
  public RingState loadRing() {
    byte[] bytes = engine.get(RING);
    if (bytes != null) {
      return RingCodec.decodeState(bytes);
    }
    List<MemberInfo> legacy = legacyMembers();
    if (legacy.isEmpty()) {
      return null;
    }
    List<Member> replay = new ArrayList<>();
    legacy.forEach(m -> replay.add(new Member(m.id(), m.joinedAtMs())));
    return RingState.fromMembers(partitions, replay);
  }

  @Override
  public void saveRing(RingState ring) {
    put(RING, RingCodec.encodeState(ring));
  }

  @Override
  public byte[] loadAcceptor() {
    return engine.get(ACCEPTOR);
  }

  @Override
  public void saveAcceptor(byte[] state) {
    put(ACCEPTOR, state);
  }

  private void put(byte[] key, byte[] value) {
    engine.write(List.of(Mutation.put(key, value)), true);
  }

  /** The member list as versions before explicit membership stored it (no ring fields). */
  private List<MemberInfo> legacyMembers() {
    byte[] bytes = engine.get(LEGACY_MEMBERS);
    if (bytes == null) {
      return List.of();
    }
    Wire.Reader in = new Wire.Reader(bytes);
    in.string();
    int count = in.count();
    List<MemberInfo> members = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      members.add(new MemberInfo(in.string(), in.string(), in.i32(), in.string(), in.i64(), in.i64(), in.i64()));
    }
    return members;
  }
}
