package io.ringkv.chaos;

import java.util.Set;
import java.util.TreeSet;

/**
 * What one read returned for a key at the end of a run: its live sibling values and whether a
 * tombstone was among its versions (a 404 that carried a context, or a {@code deleted} sibling).
 */
public record KeyState(Set<String> values, boolean tombstone) {
  public static final KeyState EMPTY = new KeyState(Set.of(), false);

  public KeyState {
    values = Set.copyOf(values);
  }

  public static KeyState of(String... values) {
    return new KeyState(Set.of(values), false);
  }

  @Override
  public String toString() {
    return new TreeSet<>(values) + (tombstone ? "+tombstone" : "");
  }
}
