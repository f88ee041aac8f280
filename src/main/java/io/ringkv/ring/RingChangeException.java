package io.ringkv.ring;

/** A membership change that the ring refuses, with whether it conflicts with the ring's state or names no member. */
public final class RingChangeException extends RuntimeException {
  /** Why: a change is already running or the member's state forbids it, or there is no such member. */
  public enum Reason { CONFLICT, UNKNOWN_MEMBER }

  private final Reason reason;

  public RingChangeException(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
