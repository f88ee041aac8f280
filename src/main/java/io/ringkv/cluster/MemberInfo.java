package io.ringkv.cluster;

/**
 * What a node says about itself in gossip: identity, addresses, when it first joined (kept for
 * data dirs from before membership was explicit), its generation (the start time of the current
 * process: a restarted node's fresh heartbeat still wins) and its heartbeat counter, which only it
 * increments; and its view of the ring: the version it holds, and the ring version whose incoming
 * copies it has finished (so any node can tell when a membership change may end).
 */
public record MemberInfo(String id, String host, int httpPort, String dc, long joinedAtMs, long generation,
    long heartbeat, long ringVersion, long transfersDoneFor) {

  public MemberInfo(String id, String host, int httpPort, String dc, long joinedAtMs, long generation,
      long heartbeat) {
    this(id, host, httpPort, dc, joinedAtMs, generation, heartbeat, 0, 0);
  }

  public MemberInfo withHeartbeat(long newHeartbeat) {
    return new MemberInfo(id, host, httpPort, dc, joinedAtMs, generation, newHeartbeat, ringVersion, transfersDoneFor);
  }

  public MemberInfo withHttpPort(int port) {
    return new MemberInfo(id, host, port, dc, joinedAtMs, generation, heartbeat, ringVersion, transfersDoneFor);
  }

  public MemberInfo withRing(long version, long doneFor) {
    return new MemberInfo(id, host, httpPort, dc, joinedAtMs, generation, heartbeat, version, doneFor);
  }

  /** True when this record is newer news about the member than {@code other}. */
  public boolean newerThan(MemberInfo other) {
    return generation != other.generation ? generation > other.generation : heartbeat > other.heartbeat;
  }
}
