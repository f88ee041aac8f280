package io.ringkv.feed;

/**
 * The change feed's bounds, per connection. Every queue and set a subscriber can grow is capped:
 * a client can neither exhaust the node's memory nor slow the writers.
 */
public final class FeedLimits {
  private FeedLimits() {}

  /** Events held for a subscriber whose socket is backed up; beyond this, new events are dropped. */
  public static final int DEFAULT_QUEUE_EVENTS = 1000;
  /** Exact keys one connection may subscribe to. */
  public static final int DEFAULT_MAX_KEYS = 1000;
  /** Prefixes one connection may subscribe to (a subscribe checks them one by one, so keep this small). */
  public static final int DEFAULT_MAX_PREFIXES = 100;
  /** Largest client message (all frames of one message together), in bytes. */
  public static final int MAX_MESSAGE_BYTES = 64 * 1024;
  /** Longest key or prefix, in UTF-8 bytes (the API's key limit). */
  public static final int MAX_KEY_BYTES = 1024;
}
