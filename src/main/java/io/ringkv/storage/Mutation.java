package io.ringkv.storage;

import java.util.Objects;

/**
 * One change inside an atomic batch: a put of {@code value} under {@code key}, or a delete of
 * {@code key} when {@code value} is null. An empty (zero-length) value is a put, not a delete.
 */
public record Mutation(byte[] key, byte[] value) {

  public Mutation {
    Objects.requireNonNull(key, "key");
  }

  public static Mutation put(byte[] key, byte[] value) {
    return new Mutation(key, Objects.requireNonNull(value, "value (use Mutation.delete to delete)"));
  }

  public static Mutation delete(byte[] key) {
    return new Mutation(key, null);
  }

  public boolean isDelete() {
    return value == null;
  }
}
