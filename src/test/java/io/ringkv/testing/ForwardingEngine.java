package io.ringkv.testing;

import io.ringkv.storage.EngineStats;
import io.ringkv.storage.Mutation;
import io.ringkv.storage.StorageEngine;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;

/** Base of the test engines that interfere with writes: everything goes to the real engine. */
public abstract class ForwardingEngine implements StorageEngine {
  private final StorageEngine delegate;

  protected ForwardingEngine(StorageEngine delegate) {
    this.delegate = delegate;
  }

  /**
   * Holds the writing thread until the test opens {@code gate}. A test that never opens it, or an
   * interrupt, fails the write instead of letting it through.
   */
  protected static void awaitOpen(CountDownLatch gate, int timeoutSeconds) {
    try {
      if (!gate.await(timeoutSeconds, TimeUnit.SECONDS)) {
        throw new IllegalStateException("test never released the held write");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while held", e);
    }
  }

  @Override
  public byte[] get(byte[] key) {
    return delegate.get(key);
  }

  @Override
  public void write(List<Mutation> batch, boolean sync) {
    delegate.write(batch, sync);
  }

  @Override
  public void scan(byte[] fromInclusive, byte[] toExclusive, BiPredicate<byte[], byte[]> visitor) {
    delegate.scan(fromInclusive, toExclusive, visitor);
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public EngineStats stats() {
    return delegate.stats();
  }

  @Override
  public void compact() {
    delegate.compact();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
