package io.ringkv.messaging;

import java.util.ArrayList;
import java.util.List;

/** The answers to a {@link ReplicaBatch}, in its order: each a reply, or a failure code and message. */
public record ReplicaBatchReply(List<Outcome> outcomes) {

  /** {@code reply} when the request succeeded, else {@code failureCode} and {@code failureMessage}. */
  public record Outcome(ReplicaReply reply, int failureCode, String failureMessage) {
    public static Outcome ok(ReplicaReply reply) {
      return new Outcome(reply, 0, null);
    }

    public static Outcome failed(int code, String message) {
      return new Outcome(null, code, message);
    }
  }

  public ReplicaBatchReply {
    outcomes = List.copyOf(outcomes);
  }

  public static byte[] encode(ReplicaBatchReply m) {
    Wire.Writer out = new Wire.Writer(16 + 64 * m.outcomes.size()).i32(m.outcomes.size());
    for (Outcome o : m.outcomes) {
      out.bool(o.reply != null);
      if (o.reply != null) {
        out.bytes(ReplicaReply.encode(o.reply));
      } else {
        out.i32(o.failureCode).string(o.failureMessage);
      }
    }
    return out.toByteArray();
  }

  public static ReplicaBatchReply decode(byte[] data) {
    Wire.Reader in = new Wire.Reader(data);
    int count = in.count();
    List<Outcome> outcomes = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      if (in.bool()) {
        byte[] reply = in.bytes();
        if (reply == null) {
          throw new IllegalArgumentException("corrupt message: missing reply " + i + " of a replica batch reply");
        }
        outcomes.add(Outcome.ok(ReplicaReply.decode(reply)));
      } else {
        outcomes.add(Outcome.failed(in.i32(), in.string()));
      }
    }
    in.expectEnd();
    return new ReplicaBatchReply(outcomes);
  }
}
