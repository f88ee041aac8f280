package io.ringkv.chaos;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The operations of a run, recorded by many client threads. Ids are handed out before a request is
 * sent, so an operation that sends a context always has a larger id than the one that gave it.
 */
public final class History {
  private final AtomicLong ids = new AtomicLong();
  private final List<Operation> operations = new ArrayList<>();

  /** The id of the next operation a client is about to send. */
  public long nextId() {
    return ids.incrementAndGet();
  }

  public synchronized void record(Operation op) {
    operations.add(op);
  }

  /** Every recorded operation, in id order. */
  public synchronized List<Operation> operations() {
    List<Operation> copy = new ArrayList<>(operations);
    copy.sort(Comparator.comparingLong(Operation::id));
    return copy;
  }

  public synchronized int size() {
    return operations.size();
  }
}
