package io.ringkv.messaging;

import io.ringkv.version.SiblingSet;

/** Told about every acknowledged write and every conflict a read reveals (the change feed hooks in here). */
@FunctionalInterface
public interface ChangeListener {
  void written(byte[] key, SiblingSet siblings, String coordinator);

  ChangeListener NONE = (key, siblings, coordinator) -> { };
}
