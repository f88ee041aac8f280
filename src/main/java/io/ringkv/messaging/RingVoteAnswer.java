package io.ringkv.messaging;

import io.ringkv.ring.Ballot;

/**
 * The answer to a {@link RingVote}: the acceptor's answer for PREPARE and ACCEPT (refused or not,
 * its promise, what it had accepted), or for FETCH the newest ring it holds in {@code value};
 * {@code committed} is always the version of the ring the answering node holds.
 */
public record RingVoteAnswer(boolean ok, Ballot promised, Ballot acceptedBallot, byte[] value, long committed) {

  public static byte[] encode(RingVoteAnswer m) {
    Wire.Writer out = new Wire.Writer(48 + (m.value == null ? 0 : m.value.length)).bool(m.ok);
    RingVote.writeBallot(out, m.promised);
    RingVote.writeBallot(out, m.acceptedBallot);
    return out.bytes(m.value).i64(m.committed).toByteArray();
  }

  public static RingVoteAnswer decode(byte[] data) {
    Wire.Reader in = new Wire.Reader(data);
    RingVoteAnswer a = new RingVoteAnswer(in.bool(), RingVote.readBallot(in), RingVote.readBallot(in), in.bytes(),
        in.i64());
    in.expectEnd();
    return a;
  }
}
