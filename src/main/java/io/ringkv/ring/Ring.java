package io.ringkv.ring;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An immutable consistent-hashing ring: Q equal partitions of the 64-bit hash space (see
 * {@link KeyHasher#partitionOf(long, int)}), each owned by one node. This is Dynamo's
 * "strategy 3" (Q fixed, equal-sized ranges, nodes own whole partitions) as in Riak's ring.
 * Q is fixed for the cluster's life; only ownership changes.
 *
 * <h2>Claim algorithm ({@link #withNode})</h2>
 * The new node joins owning nothing. Then, one partition at a time, a partition owned by a node
 * at the current maximum count moves to the node at the current minimum count (the new node,
 * which wins ties), until max - min <= 1. Which partition moves is chosen to keep replicas
 * distinct: among the candidates, the one whose move leaves the fewest windows of
 * {@value Claim#TARGET_N} consecutive partitions with a repeated owner (taking a partition
 * from an owner that also owns its neighbour even removes a repeat); ties go to the candidate
 * farthest from the new node's other partitions, then to the lowest index. The first
 * {@value Claim#TARGET_N} nodes instead follow a fixed plan, node k preferring the partitions
 * with p mod {@value Claim#TARGET_N} == k, because a greedy two-node layout (A B A B) cannot
 * become A B C A B C when the third node may only take partitions.
 *
 * <ul>
 *   <li><b>Balanced.</b> The loop ends only when max - min <= 1 over all S nodes; the counts sum
 *       to Q, so each is floor(Q/S) or ceil(Q/S).
 *   <li><b>Moves little.</b> If the old ring was balanced (every ring built by {@link #initial}
 *       and {@code withNode} is), the new node stays strictly below every old node until the
 *       loop stops, so it receives every move and no partition moves between old nodes. It
 *       stops at floor(Q/S) or ceil(Q/S), so about Q/S partitions move, the minimum possible.
 *       Only moved partitions need handoff. (A ring from {@link #of} may be unbalanced; the
 *       same loop then balances it, moving partitions between old nodes too.)
 *   <li><b>Spreads replicas.</b> The preference list of p walks the owners of p, p+1, ...; when
 *       every window of N consecutive owners is distinct, the first N partitions give N distinct
 *       nodes and each node's load as a replica is as balanced as its ownership. After the plan
 *       the 3-node ring is A B C A B C ..., with repeats only across the wrap when Q mod 3 != 0
 *       (2 windows). A later node that takes partitions at least 3 apart adds no repeat, and
 *       the window score prefers exactly such moves, so windows of 3 stay distinct in practice
 *       (RingClaimTest measures 0 repeats for S = 4..12). Larger N works, with some skipping.
 *   <li><b>Deterministic.</b> No randomness and no hash-map iteration order: the same ring plus
 *       the same node gives the same result on every node. {@link #fromMembers} relies on this.
 * </ul>
 * Cost: O(Q) per moved partition, so O(Q^2 / S) per join: a few ms for Q = 1024.
 */
public final class Ring {

  /** Upper bound on Q; the claim costs O(Q^2 / S), and 65536 is far beyond any sane ring. */
  public static final int MAX_PARTITIONS = 1 << 16;
  /** Preference lists for n up to this are precomputed once per ring, on first use. */
  public static final int PRECOMPUTED_N = 5;

  private final int partitions;
  private final long version;
  private final String[] owners;
  private final List<String> nodes;
  private final Map<String, Integer> ownedCounts;
  // Lazily built, immutable once set; a racing double build is harmless (same contents).
  private volatile PreferenceTable preferenceTable;

  private Ring(int partitions, long version, String[] owners) {
    this.partitions = partitions;
    this.version = version;
    this.owners = owners;
    TreeMap<String, Integer> counts = new TreeMap<>();
    for (String o : owners) {
      counts.merge(o, 1, Integer::sum);
    }
    this.nodes = List.copyOf(counts.keySet());
    this.ownedCounts = Collections.unmodifiableMap(new LinkedHashMap<>(counts));
  }

  /** Version 1: every partition owned by {@code firstNodeId}. */
  public static Ring initial(int partitions, String firstNodeId) {
    checkPartitions(partitions);
    checkNodeId(firstNodeId);
    String[] owners = new String[partitions];
    Arrays.fill(owners, firstNodeId);
    return new Ring(partitions, 1, owners);
  }

  /**
   * Replays the joins of {@code members} in {@link Member#REPLAY_ORDER}: the first member owns
   * everything, each next one claims with {@link #withNode}. The same set of members gives an
   * identical ring on every node whatever the collection's order; the version is the number of
   * distinct members. If an id appears twice, its earliest join counts (a node keeps its
   * first join time), so a merged membership list with stale duplicates still replays alike.
   *
   * @throws IllegalArgumentException if {@code members} is empty
   */
  public static Ring fromMembers(int partitions, Collection<Member> members) {
    List<Member> ordered = replayOrder(members);
    Ring ring = initial(partitions, ordered.get(0).id());
    for (Member m : ordered.subList(1, ordered.size())) {
      ring = ring.withNode(m.id());
    }
    return ring;
  }

  /** Distinct ids, earliest join per id, in replay order. */
  static List<Member> replayOrder(Collection<Member> members) {
    if (members == null || members.isEmpty()) {
      throw new IllegalArgumentException("a ring needs at least one member");
    }
    Map<String, Member> earliest = new TreeMap<>();
    for (Member m : members) {
      earliest.merge(m.id(), m, (a, b) -> Member.REPLAY_ORDER.compare(a, b) <= 0 ? a : b);
    }
    List<Member> ordered = new ArrayList<>(earliest.values());
    ordered.sort(Member.REPLAY_ORDER);
    return ordered;
  }

  /**
   * A ring one version newer in which {@code nodeId} has claimed its balanced share (see the
   * class javadoc). Returns this ring unchanged if the node already owns partitions, so a
   * repeated join is harmless. With more nodes than partitions the node may claim nothing.
   */
  public Ring withNode(String nodeId) {
    checkNodeId(nodeId);
    if (ownedCounts.containsKey(nodeId)) {
      return this;
    }
    return new Ring(partitions, version + 1, Claim.addNode(owners, nodeId));
  }

  /**
   * A ring one version newer in which {@code nodeId}'s partitions went to the other nodes (see
   * {@link Claim#removeNode}); only its partitions move.
   *
   * @throws IllegalArgumentException if the node owns nothing or is the only owner
   */
  public Ring withoutNode(String nodeId) {
    checkNodeId(nodeId);
    return new Ring(partitions, version + 1, Claim.removeNode(owners, nodeId));
  }

  /**
   * Rebuilds a ring from its parts, e.g. after decoding.
   *
   * @throws IllegalArgumentException if Q is out of range, version < 1, the array length is not
   *     Q, or an owner id is null or empty
   */
  public static Ring of(int partitions, long version, String[] owners) {
    checkPartitions(partitions);
    if (version < 1) {
      throw new IllegalArgumentException("ring version must be >= 1, got " + version);
    }
    if (owners == null || owners.length != partitions) {
      throw new IllegalArgumentException("need exactly " + partitions + " owners");
    }
    String[] copy = owners.clone();
    for (String id : copy) {
      checkNodeId(id);
    }
    return new Ring(partitions, version, copy);
  }

  public int partitions() {
    return partitions;
  }

  public long version() {
    return version;
  }

  public String ownerOf(int partition) {
    return owners[checkPartition(partition)];
  }

  /** Distinct owners, sorted. Members owning no partition (only if S > Q) are not listed. */
  public List<String> nodes() {
    return nodes;
  }

  /** Partitions owned per node, iterated in node id order. */
  public Map<String, Integer> ownedCounts() {
    return ownedCounts;
  }

  public int partitionOf(byte[] key) {
    return KeyHasher.partitionOf(KeyHasher.hash(key), partitions);
  }

  /**
   * The owner of {@code partition}, then the owners of the following partitions clockwise
   * (wrapping), skipping nodes already listed, until {@code n} distinct nodes or every node.
   * For n <= {@value #PRECOMPUTED_N} this returns a cached immutable list: no allocation.
   *
   * @throws IllegalArgumentException if n < 1
   * @throws IndexOutOfBoundsException if the partition is out of range
   */
  public List<String> preferenceList(int partition, int n) {
    checkPartition(partition);
    if (n < 1) {
      throw new IllegalArgumentException("n must be >= 1, got " + n);
    }
    if (n > PRECOMPUTED_N) {
      return walk(partition, n);
    }
    PreferenceTable table = preferenceTable;
    if (table == null) {
      table = new PreferenceTable(this);
      preferenceTable = table;
    }
    return table.get(partition, n);
  }

  public List<String> preferenceList(byte[] key, int n) {
    return preferenceList(partitionOf(key), n);
  }

  /** Walks clockwise from {@code partition} collecting up to n distinct owners. */
  List<String> walk(int partition, int n) {
    int want = Math.min(n, nodes.size());
    List<String> out = new ArrayList<>(want);
    // At most Q steps: after a full turn every owner has been seen.
    for (int i = 0; i < partitions && out.size() < want; i++) {
      String o = owners[(partition + i) % partitions];
      if (!out.contains(o)) {
        out.add(o);
      }
    }
    return List.copyOf(out);
  }

  /** A copy of the owner of each partition, for serialising. */
  public String[] ownersArray() {
    return owners.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Ring r
        && partitions == r.partitions
        && version == r.version
        && Arrays.equals(owners, r.owners);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * partitions + Long.hashCode(version)) + Arrays.hashCode(owners);
  }

  @Override
  public String toString() {
    return "Ring{Q=" + partitions + ", version=" + version + ", owned=" + ownedCounts + "}";
  }

  static void checkPartitions(int partitions) {
    if (partitions < 1 || partitions > MAX_PARTITIONS) {
      throw new IllegalArgumentException(
          "partitions must be in [1, " + MAX_PARTITIONS + "], got " + partitions);
    }
  }

  static void checkNodeId(String id) {
    if (id == null || id.isEmpty()) {
      throw new IllegalArgumentException("node id must be non-empty");
    }
  }

  private int checkPartition(int partition) {
    return java.util.Objects.checkIndex(partition, partitions);
  }

  /** Preference lists for every partition and n = 1..PRECOMPUTED_N, built in one pass. */
  private static final class PreferenceTable {
    private final List<List<List<String>>> byPartition; // [partition][n - 1]

    PreferenceTable(Ring ring) {
      List<List<List<String>>> table = new ArrayList<>(ring.partitions);
      for (int p = 0; p < ring.partitions; p++) {
        List<String> full = ring.walk(p, PRECOMPUTED_N);
        List<List<String>> prefixes = new ArrayList<>(PRECOMPUTED_N);
        for (int n = 1; n <= PRECOMPUTED_N; n++) {
          prefixes.add(List.copyOf(full.subList(0, Math.min(n, full.size()))));
        }
        table.add(List.copyOf(prefixes));
      }
      this.byPartition = List.copyOf(table);
    }

    List<String> get(int partition, int n) {
      return byPartition.get(partition).get(n - 1);
    }
  }
}
