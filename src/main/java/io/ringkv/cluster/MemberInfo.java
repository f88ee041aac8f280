package io.ringkv.cluster;

/**
 * What a node says about itself in gossip: identity, addresses, when it first joined the ring
 * (orders ring claims; persisted, so it survives restarts), its generation (the start time of the
 * current process: a restarted node's fresh heartbeat still wins) and its heartbeat counter, which
 * only it increments.
 */
public record MemberInfo(String id, String host, int httpPort, String dc, long joinedAtMs, long generation,
    long heartbeat) {

  public MemberInfo withHeartbeat(long newHeartbeat) {
    return new MemberInfo(id, host, httpPort, dc, joinedAtMs, generation, newHeartbeat);
  }

  /** True when this record is newer news about the member than {@code other}. */
  public boolean newerThan(MemberInfo other) {
    return generation != other.generation ? generation > other.generation : heartbeat > other.heartbeat;
  }
}
