package io.ringkv.messaging;

import io.vertx.core.eventbus.EventBus;

/** Registers every ringkv message codec; must run on every node before any message is sent. */
public final class Codecs {
  private Codecs() {}

  public static void registerAll(EventBus eventBus) {
    eventBus.registerDefaultCodec(KvRequest.class,
        new BinaryCodec<>("ringkv.KvRequest", KvRequest::encode, KvRequest::decode));
    eventBus.registerDefaultCodec(KvResponse.class,
        new BinaryCodec<>("ringkv.KvResponse", KvResponse::encode, KvResponse::decode));
    eventBus.registerDefaultCodec(ReplicaRequest.class,
        new BinaryCodec<>("ringkv.ReplicaRequest", ReplicaRequest::encode, ReplicaRequest::decode));
    eventBus.registerDefaultCodec(ReplicaReply.class,
        new BinaryCodec<>("ringkv.ReplicaReply", ReplicaReply::encode, ReplicaReply::decode));
    eventBus.registerDefaultCodec(ReplicaBatch.class,
        new BinaryCodec<>("ringkv.ReplicaBatch", ReplicaBatch::encode, ReplicaBatch::decode));
    eventBus.registerDefaultCodec(ReplicaBatchReply.class,
        new BinaryCodec<>("ringkv.ReplicaBatchReply", ReplicaBatchReply::encode, ReplicaBatchReply::decode));
    eventBus.registerDefaultCodec(RelayBatch.class,
        new BinaryCodec<>("ringkv.RelayBatch", RelayBatch::encode, RelayBatch::decode));
    eventBus.registerDefaultCodec(RelayBatchReply.class,
        new BinaryCodec<>("ringkv.RelayBatchReply", RelayBatchReply::encode, RelayBatchReply::decode));
    eventBus.registerDefaultCodec(GossipDigest.class,
        new BinaryCodec<>("ringkv.GossipDigest", GossipDigest::encode, GossipDigest::decode));
    eventBus.registerDefaultCodec(RingVote.class,
        new BinaryCodec<>("ringkv.RingVote", RingVote::encode, RingVote::decode));
    eventBus.registerDefaultCodec(RingVoteAnswer.class,
        new BinaryCodec<>("ringkv.RingVoteAnswer", RingVoteAnswer::encode, RingVoteAnswer::decode));
    eventBus.registerDefaultCodec(PartitionScan.class,
        new BinaryCodec<>("ringkv.PartitionScan", PartitionScan::encode, PartitionScan::decode));
    eventBus.registerDefaultCodec(PartitionPage.class,
        new BinaryCodec<>("ringkv.PartitionPage", PartitionPage::encode, PartitionPage::decode));
    AeMessages.register(eventBus);
    FeedBatch.registerCodec(eventBus);
  }
}
