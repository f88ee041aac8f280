package io.ringkv.feed;

import io.ringkv.coordinator.CoordinatorVerticle;
import io.ringkv.version.SiblingSet;
import io.vertx.core.Vertx;

/** Publishes every acknowledged write to every node's feed subscribers. */
public final class FeedPublisher implements CoordinatorVerticle.ChangeListener {
  private final Vertx vertx;

  public FeedPublisher(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public void written(byte[] key, SiblingSet siblings, String coordinator) {
    // Filled in by the change-feed work.
  }
}
