package io.ringkv.testing;

import io.ringkv.storage.Mutation;
import io.ringkv.storage.StorageEngine;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A node's storage engine with a disk that a test can stall or break: while held, writes wait
 * (reads go on, as on a disk busy syncing); failing writes throw as an I/O error would.
 */
public final class GatedEngine extends ForwardingEngine {
  private volatile CountDownLatch gate; // null: writes pass
  private final AtomicInteger waiting = new AtomicInteger();
  private volatile byte[] failingKeySuffix; // null: no write fails

  public GatedEngine(StorageEngine delegate) {
    super(delegate);
  }

  /** From now on every write waits (at most 60 s) until {@link #releaseWrites()}. */
  public void holdWrites() {
    gate = new CountDownLatch(1);
  }

  public void releaseWrites() {
    CountDownLatch g = gate;
    gate = null;
    if (g != null) {
      g.countDown();
    }
  }

  /** Writes currently waiting at the gate. */
  public int waitingWrites() {
    return waiting.get();
  }

  /**
   * Every write whose batch touches a key ending with {@code keySuffix} (e.g. a user key: data
   * keys end with it) fails, storing nothing of that batch; null stops it.
   */
  public void failWritesOf(String keySuffix) {
    failingKeySuffix = keySuffix == null ? null : keySuffix.getBytes(StandardCharsets.UTF_8);
  }

  private static boolean endsWith(byte[] key, byte[] suffix) {
    int offset = key.length - suffix.length;
    return offset >= 0 && Arrays.equals(key, offset, key.length, suffix, 0, suffix.length);
  }

  @Override
  public void write(List<Mutation> batch, boolean sync) {
    CountDownLatch g = gate;
    if (g != null) {
      waiting.incrementAndGet();
      try {
        awaitOpen(g, 60);
      } finally {
        waiting.decrementAndGet();
      }
    }
    byte[] suffix = failingKeySuffix;
    if (suffix != null && batch.stream().anyMatch(m -> endsWith(m.key(), suffix))) {
      throw new IllegalStateException("injected write failure");
    }
    super.write(batch, sync);
  }

  @Override
  public void close() {
    releaseWrites();
    super.close();
  }
}
