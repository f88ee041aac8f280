package io.ringkv.storage;

/**
 * The write queue is full: the node takes more writes than its disk absorbs. Callers should
 * answer "overloaded, retry later" (HTTP 503) instead of queueing without bound.
 */
public final class StorageBusyException extends RuntimeException {

  public StorageBusyException() {
    super("storage write queue is full");
  }

  public StorageBusyException(String message) {
    super(message);
  }
}
