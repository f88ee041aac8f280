package io.ringkv.messaging;

import java.util.concurrent.CompletionException;

/**
 * A coordinated WRITE refused because it would leave the key with more than {@code limit}
 * versions: nothing was written. A client error, not a failure of the replica: the client should
 * read the key and write with its context, which replaces the siblings it read.
 */
public final class TooManySiblingsException extends RuntimeException {
  private final int limit;
  private final int siblings;

  public TooManySiblingsException(int limit, int siblings) {
    super("the write would leave " + siblings + " siblings on this key, more than the limit of " + limit
        + "; nothing was written. Read the key and write with its X-Context to merge them", null, false, false);
    this.limit = limit;
    this.siblings = siblings;
  }

  public int limit() {
    return limit;
  }

  /** How many versions the write would have left. */
  public int siblings() {
    return siblings;
  }

  /** {@code err} itself, or its cause behind a CompletionException, when it is a refusal; else null. */
  public static TooManySiblingsException in(Throwable err) {
    Throwable t = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
    return t instanceof TooManySiblingsException refusal ? refusal : null;
  }
}
