package io.ringkv.ring;

import java.util.Comparator;

/**
 * A ring member: a node id and the time it first joined. The join time only orders the replay
 * in {@link Ring#fromMembers}; it is never compared with a clock.
 */
public record Member(String id, long joinedAtMs) {

  /** Replay order: earliest join first; the id breaks ties so every node sorts alike. */
  public static final Comparator<Member> REPLAY_ORDER =
      Comparator.comparingLong(Member::joinedAtMs).thenComparing(Member::id);

  public Member {
    Ring.checkNodeId(id);
  }

  @Override
  public String toString() {
    return id + "@" + joinedAtMs;
  }
}
