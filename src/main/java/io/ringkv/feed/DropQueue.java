package io.ringkv.feed;

import java.util.ArrayDeque;
import java.util.function.Supplier;

/**
 * A bounded FIFO that refuses (and counts) what does not fit, instead of growing. The count of
 * refused elements is taken and reset by {@link #takeDropped()}, so the owner can report each loss
 * exactly once. Not thread-safe: one connection's queue lives on its event loop.
 */
public final class DropQueue<T> {
  private final int capacity;
  /** Null while empty and never used: most subscribers' sockets keep up. */
  private ArrayDeque<T> items;
  private long dropped;

  public DropQueue(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
    }
    this.capacity = capacity;
  }

  /** Appends {@code item}; returns false (and counts a drop) when the queue is full. */
  public boolean offer(T item) {
    return offer(() -> item);
  }

  /**
   * Appends the element {@code item} supplies, asking for it only when it fits: a caller need not
   * build what would be dropped. Returns false (and counts a drop) when the queue is full.
   */
  public boolean offer(Supplier<? extends T> item) {
    if (size() >= capacity) {
      dropped++;
      return false;
    }
    if (items == null) {
      items = new ArrayDeque<>(Math.min(capacity, 16));
    }
    items.addLast(item.get());
    return true;
  }

  /** The oldest element, or null when empty. */
  public T poll() {
    return items == null ? null : items.pollFirst();
  }

  public boolean isEmpty() {
    return size() == 0;
  }

  public int size() {
    return items == null ? 0 : items.size();
  }

  public int capacity() {
    return capacity;
  }

  /** Drops not yet reported. */
  public long dropped() {
    return dropped;
  }

  /** Returns the drops not yet reported and resets the count. */
  public long takeDropped() {
    long d = dropped;
    dropped = 0;
    return d;
  }

  /** Forgets the queued elements (the connection closed); returns how many there were. */
  public int clear() {
    int n = size();
    items = null;
    return n;
  }
}
