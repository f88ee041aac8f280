package io.ringkv.storage;

import io.ringkv.testing.ForwardingEngine;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Test decorator: can hold the next write until released, or fail the next writes. */
final class ControllableEngine extends ForwardingEngine {

  private volatile CountDownLatch entered;
  private volatile CountDownLatch release;
  private final AtomicInteger failures = new AtomicInteger();

  ControllableEngine(StorageEngine delegate) {
    super(delegate);
  }

  /** The next write blocks until {@link #release()}; {@link #awaitBlocked()} returns once it is blocked. */
  void holdNextWrite() {
    entered = new CountDownLatch(1);
    release = new CountDownLatch(1);
  }

  void awaitBlocked() throws InterruptedException {
    if (!entered.await(10, TimeUnit.SECONDS)) {
      throw new AssertionError("writer never reached engine.write");
    }
  }

  void release() {
    CountDownLatch r = release;
    if (r != null) {
      r.countDown();
    }
  }

  void failNextWrites(int n) {
    failures.set(n);
  }

  @Override
  public void write(List<Mutation> batch, boolean sync) {
    CountDownLatch in = entered;
    if (in != null && in.getCount() > 0) {
      in.countDown();
      awaitOpen(release, 30);
    }
    if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new IllegalStateException("injected write failure");
    }
    super.write(batch, sync);
  }
}
