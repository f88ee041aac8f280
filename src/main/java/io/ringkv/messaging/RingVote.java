package io.ringkv.messaging;

import io.ringkv.ring.Ballot;

/**
 * A membership verticle's request to another's ({@code ringkv.membership.<node>}): the two phases
 * of agreeing on ring version {@code slot} (PREPARE, ACCEPT with the encoded ring), FETCH of the
 * newest ring the node holds, COMMIT of a decided ring ({@code value}). Answered with a
 * {@link RingVoteAnswer}.
 */
public record RingVote(Kind kind, long slot, Ballot ballot, byte[] value) {
  public enum Kind { PREPARE, ACCEPT, FETCH, COMMIT }

  public static RingVote fetch() {
    return new RingVote(Kind.FETCH, 0, null, null);
  }

  public static RingVote commit(byte[] ring) {
    return new RingVote(Kind.COMMIT, 0, null, ring);
  }

  public static byte[] encode(RingVote m) {
    Wire.Writer out = new Wire.Writer(32 + (m.value == null ? 0 : m.value.length)).u8(m.kind.ordinal()).i64(m.slot);
    writeBallot(out, m.ballot);
    return out.bytes(m.value).toByteArray();
  }

  public static RingVote decode(byte[] data) {
    Wire.Reader in = new Wire.Reader(data);
    int kind = in.u8();
    if (kind >= Kind.values().length) {
      throw new IllegalArgumentException("corrupt message: ring vote kind " + kind);
    }
    RingVote vote = new RingVote(Kind.values()[kind], in.i64(), readBallot(in), in.bytes());
    in.expectEnd();
    return vote;
  }

  static void writeBallot(Wire.Writer out, Ballot b) {
    out.bool(b != null);
    if (b != null) {
      out.i64(b.round()).string(b.node());
    }
  }

  static Ballot readBallot(Wire.Reader in) {
    return in.bool() ? new Ballot(in.i64(), in.string()) : null;
  }
}
