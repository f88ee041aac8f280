package io.ringkv.messaging;

import io.ringkv.merkle.PartitionTrees;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What anti-entropy needs from this node's replica: its Merkle trees, range scans that list keys
 * with their versions digests, records to send, merges of records received, and the removal of
 * tombstones every home replica holds. Implemented by the storage package, wired by the node.
 * Methods that say "blocking" read LevelDB: never call them on an event loop.
 */
public interface AntiEntropyReplica {

  /** One key and the digest of its versions ({@link io.ringkv.version.RecordDigest}; 0 = absent). */
  record KeyDigest(byte[] key, long digest) {}

  /** Keys in key order and whether the scan reached the end of the partition. */
  record DigestPage(List<KeyDigest> keys, boolean end) {
    public DigestPage {
      keys = List.copyOf(keys);
    }
  }

  PartitionTrees trees();

  /**
   * Blocking: builds the partition's tree from a paged range scan while writes go on (see
   * {@link PartitionTrees}); returns the keys scanned, or -1 if a newer build or a drop replaced it.
   */
  long buildTree(int partition);

  /**
   * Blocking: the keys after {@code after} (null: from the first) whose tree leaf is in
   * {@code leaves} (sorted; null: every leaf), with their digests, at most {@code maxKeys}.
   */
  DigestPage digests(int partition, int[] leaves, byte[] after, int maxKeys);

  /** Blocking: the stored records of these keys; keys without versions are left out. */
  List<PartitionPage.Entry> records(int partition, List<byte[]> keys);

  /** Blocking: the digests of these keys, in order (0: no versions). */
  long[] digestsOf(int partition, List<byte[]> keys);

  /**
   * Merges records of another replica as replication does (a concurrent version stays a
   * sibling); completes with how many keys changed here.
   */
  CompletableFuture<Integer> merge(int partition, List<PartitionPage.Entry> records);

  /**
   * Blocking: keys whose versions are all tombstones, the newest written at or before
   * {@code notAfterMs}, after {@code after}, at most {@code maxKeys}.
   */
  DigestPage tombstones(int partition, long notAfterMs, byte[] after, int maxKeys);

  /**
   * Removes each key whose record still has exactly that digest and holds only tombstones (a key
   * written meanwhile stays); completes with how many were removed.
   */
  CompletableFuture<Integer> reap(int partition, List<KeyDigest> keys);
}
