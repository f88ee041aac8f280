package io.ringkv.messaging;

import io.ringkv.version.SiblingSet;
import io.ringkv.version.Version;

/**
 * A coordinator's answer to a {@link KvRequest}. {@code siblings} is the reconciled set (reads,
 * and writes with returnbody); {@code written} the version a write created; {@code required} and
 * {@code acknowledged} are filled when the quorum was not reached. A write refused with
 * TOO_MANY_SIBLINGS carries the limit and the sibling count it would have left in those two
 * fields instead ({@link #siblingLimit()}, {@link #siblingCount()}). With replicas per DC a
 * refusal also carries {@code dcCounts}: {@code dc:required:acknowledged} per DC, comma-separated
 * (null otherwise).
 */
public record KvResponse(
    Outcome outcome,
    SiblingSet siblings,
    Version written,
    int required,
    int acknowledged,
    String message,
    String coordinator,
    String dcCounts) {

  public KvResponse(Outcome outcome, SiblingSet siblings, Version written, int required, int acknowledged,
      String message, String coordinator) {
    this(outcome, siblings, written, required, acknowledged, message, coordinator, null);
  }

  /** A refusal with the counts by DC. */
  public static KvResponse failure(Outcome outcome, int required, int acknowledged, String message,
      String coordinator, String dcCounts) {
    return new KvResponse(outcome, null, null, required, acknowledged, message, coordinator, dcCounts);
  }

  /** Encoded by ordinal: add new outcomes at the end. */
  public enum Outcome { OK, UNAVAILABLE, TIMEOUT, BAD_REQUEST, INTERNAL, TOO_MANY_SIBLINGS }

  public static KvResponse ok(SiblingSet siblings, Version written, String coordinator) {
    return new KvResponse(Outcome.OK, siblings, written, 0, 0, null, coordinator);
  }

  public static KvResponse failure(Outcome outcome, int required, int acknowledged, String message,
      String coordinator) {
    return new KvResponse(outcome, null, null, required, acknowledged, message, coordinator);
  }

  /** A write refused because it would leave {@code siblings} versions, more than {@code limit}. */
  public static KvResponse tooManySiblings(int limit, int siblings, String message, String coordinator) {
    return new KvResponse(Outcome.TOO_MANY_SIBLINGS, null, null, limit, siblings, message, coordinator);
  }

  /** TOO_MANY_SIBLINGS: the most siblings a write may leave. */
  public int siblingLimit() {
    return required;
  }

  /** TOO_MANY_SIBLINGS: how many siblings the refused write would have left. */
  public int siblingCount() {
    return acknowledged;
  }

  public static byte[] encode(KvResponse m) {
    return new Wire.Writer(64)
        .u8(m.outcome.ordinal())
        .siblings(m.siblings)
        .version(m.written)
        .i32(m.required)
        .i32(m.acknowledged)
        .string(m.message)
        .string(m.coordinator)
        .string(m.dcCounts)
        .toByteArray();
  }

  public static KvResponse decode(byte[] data) {
    Wire.Reader in = new Wire.Reader(data);
    int outcome = in.u8();
    if (outcome >= Outcome.values().length) {
      throw new IllegalArgumentException("corrupt message: outcome " + outcome);
    }
    KvResponse response = new KvResponse(Outcome.values()[outcome], in.siblings(), in.version(),
        in.i32(), in.i32(), in.string(), in.string(), in.string());
    in.expectEnd();
    return response;
  }
}
