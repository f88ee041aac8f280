package io.ringkv.testing;

import io.ringkv.storage.Mutation;
import io.ringkv.storage.StorageEngine;
import java.util.List;
import java.util.function.BiPredicate;

/** Base of the test engines that interfere with writes: everything goes to the real engine. */
public abstract class ForwardingEngine implements StorageEngine {
  private final StorageEngine delegate;

  protected ForwardingEngine(StorageEngine delegate) {
    this.delegate = delegate;
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
  public void close() {
    delegate.close();
  }
}
