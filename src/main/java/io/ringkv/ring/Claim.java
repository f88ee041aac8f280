package io.ringkv.ring;

import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * The claim step behind {@link Ring#withNode}: moves whole partitions from the most loaded
 * nodes to the least loaded one until every node owns floor(Q/S) or ceil(Q/S) partitions.
 * Works on int node indexes in a mutable scratch array; the result is copied into a new Ring.
 *
 * <p>See the {@link Ring} javadoc for why this is balanced, moves little and spreads replicas.
 */
final class Claim {

  /**
   * Window length in which owners should be distinct. Replicas of partition p live on the
   * owners of p, p+1, ..., so when every window of N consecutive owners is distinct the
   * preference list needs no skipping and replica load is as balanced as ownership. 3 matches
   * the default N. Riak uses 4 for headroom, but a plan for 4 would leave the 3-node ring with
   * repeats for N = 3 (see slotRank); larger N still works, with some skipping.
   */
  static final int TARGET_N = 3;

  private static final int UNKNOWN = Integer.MIN_VALUE;

  private final int q;
  private final int[] owner;      // partition -> node index
  private final int[] count;      // node index -> partitions owned
  private final String[] names;   // node index -> id, sorted
  private final int preferred;    // node index that wins ties for "least loaded" (the new node)
  // Caches for the current receiver, so a round costs O(Q) array reads rather than O(Q)
  // window evaluations: violation delta per partition (UNKNOWN when stale) and gap, the
  // distance to the receiver's nearest partition.
  private final int[] delta;
  private int[] gap;
  private int cachedReceiver = -1;

  private Claim(String[] owners, String newNode) {
    TreeSet<String> ids = new TreeSet<>(List.of(owners));
    ids.add(newNode);
    this.names = ids.toArray(String[]::new);
    this.q = owners.length;
    this.owner = new int[q];
    this.count = new int[names.length];
    for (int p = 0; p < q; p++) {
      owner[p] = index(owners[p]);
      count[owner[p]]++;
    }
    this.preferred = index(newNode);
    this.delta = new int[q];
  }

  /** Owners after {@code newNode} has claimed its share of {@code owners}. */
  static String[] addNode(String[] owners, String newNode) {
    Claim claim = new Claim(owners, newNode);
    claim.rebalance();
    return claim.result();
  }

  /**
   * Owners after {@code leaving} has given up all its partitions: each, one at a time, goes to
   * the least loaded of the other nodes (the smallest id on ties), choosing among the leaving
   * node's partitions the one whose move leaves the fewest windows with a repeated owner, then
   * the lowest index. Only the leaving node's partitions move; if the others were balanced they
   * stay balanced (each receives while it is at the minimum), ending at floor or ceil of Q/(S-1).
   *
   * @throws IllegalArgumentException if {@code leaving} is the only owner or owns nothing
   */
  static String[] removeNode(String[] owners, String leaving) {
    Claim claim = new Claim(owners, leaving);
    int gone = claim.preferred;
    if (claim.count[gone] == 0) {
      throw new IllegalArgumentException(leaving + " owns no partition");
    }
    if (claim.names.length < 2) {
      throw new IllegalArgumentException("the last node cannot leave the ring");
    }
    while (claim.count[gone] > 0) {
      int receiver = claim.leastLoadedExcept(gone);
      int best = -1;
      int bestDelta = Integer.MAX_VALUE;
      for (int p = 0; p < claim.q; p++) {
        if (claim.owner[p] == gone) {
          int d = claim.violationDelta(p, receiver);
          if (d < bestDelta) {
            best = p;
            bestDelta = d;
          }
        }
      }
      claim.move(best, receiver);
    }
    return claim.result();
  }

  private int leastLoadedExcept(int excluded) {
    int best = -1;
    for (int n = 0; n < names.length; n++) {
      if (n != excluded && (best < 0 || count[n] < count[best])) {
        best = n;
      }
    }
    return best;
  }

  private int index(String id) {
    return Arrays.binarySearch(names, id);
  }

  /**
   * Each round moves one partition from a node at the maximum count to the node at the
   * minimum count, and stops as soon as max - min <= 1. Each round lowers either the excess
   * above ceil(Q/S) or the deficit below floor(Q/S) by one and raises neither, so 2Q rounds
   * always suffice; the cap only keeps a bug from becoming an endless loop.
   */
  private void rebalance() {
    for (int round = 0; round < 2 * q; round++) {
      int max = maxCount();
      int receiver = leastLoaded();
      if (max - count[receiver] <= 1) {
        return;
      }
      prepareFor(receiver);
      move(bestPartition(max, receiver), receiver);
    }
  }

  private void move(int p, int receiver) {
    count[owner[p]]--;
    owner[p] = receiver;
    count[receiver]++;
    // Only windows around p changed, and p is now the receiver's nearest partition nearby.
    for (int d = -(TARGET_N - 1); d <= TARGET_N - 1; d++) {
      delta[Math.floorMod(p + d, q)] = UNKNOWN;
    }
    if (gap != null) {
      for (int i = 0; i < q; i++) {
        int dist = Math.abs(i - p);
        gap[i] = Math.min(gap[i], Math.min(dist, q - dist));
      }
    }
  }

  /** Resets the per-receiver caches when the receiver changes (never, for a balanced join). */
  private void prepareFor(int receiver) {
    if (receiver != cachedReceiver) {
      cachedReceiver = receiver;
      gap = distanceToNearest(receiver);
      Arrays.fill(delta, UNKNOWN);
    }
  }

  private int maxCount() {
    int max = 0;
    for (int c : count) {
      max = Math.max(max, c);
    }
    return max;
  }

  /** The node with the fewest partitions; the new node wins ties, then the smallest id. */
  private int leastLoaded() {
    int best = preferred;
    for (int n = 0; n < names.length; n++) {
      if (count[n] < count[best]) {
        best = n;
      }
    }
    return best;
  }

  /**
   * Among partitions owned by a node at the maximum count, picks the best one to move to
   * {@code receiver}, comparing in order: its slot rank (see {@link #slotRank}); how many
   * windows of TARGET_N consecutive partitions the move leaves with a repeated owner; distance
   * from the receiver's other partitions, farther first (spreads its claims evenly and leaves
   * room for later nodes); and the lowest index.
   */
  private int bestPartition(int max, int receiver) {
    int best = -1;
    long bestKey = Long.MAX_VALUE;
    for (int p = 0; p < q; p++) {
      if (count[owner[p]] != max) {
        continue;
      }
      // Lexicographic (rank, delta, -gap) in one long; each part fits in 20 bits (Q <= 2^16).
      long key = ((long) slotRank(p, receiver) << 42)
          + ((long) (cachedDelta(p, receiver) + TARGET_N) << 21)
          + (q - gap[p]);
      if (key < bestKey) {
        best = p;
        bestKey = key;
      }
    }
    return best;
  }

  /**
   * While the ring has at most TARGET_N nodes, windows cannot all be distinct yet, and the
   * window score alone would lay out A B A B ... for two nodes, from which a third node that
   * only takes partitions cannot reach A B C A B C (every A sits two apart). So the first
   * TARGET_N nodes follow a plan instead: node k (in join order, from 0) keeps slot k, the
   * partitions with p mod TARGET_N == k. Node k prefers its own slot (rank 0), then the slots
   * of nodes still to come (rank 1), and takes from earlier nodes' slots only if forced
   * (rank 2). When node TARGET_N - 1 takes its slot, every window is distinct, and later nodes
   * can keep it so, since replacing owners by a new node spaced TARGET_N apart adds no repeat.
   */
  private int slotRank(int p, int receiver) {
    int nodes = names.length;
    if (receiver != preferred || nodes > TARGET_N) {
      return 0;
    }
    int slot = p % TARGET_N;
    int mine = nodes - 1;
    return slot == mine ? 0 : slot > mine ? 1 : 2;
  }

  private int cachedDelta(int p, int receiver) {
    if (delta[p] == UNKNOWN) {
      delta[p] = violationDelta(p, receiver);
    }
    return delta[p];
  }

  /** Change in the number of windows with a repeated owner if p were owned by {@code to}. */
  private int violationDelta(int p, int to) {
    if (q < TARGET_N) {
      return 0;
    }
    int from = owner[p];
    int before = violationsAround(p);
    owner[p] = to;
    int after = violationsAround(p);
    owner[p] = from;
    return after - before;
  }

  private int violationsAround(int p) {
    int bad = 0;
    for (int s = p - TARGET_N + 1; s <= p; s++) {
      if (hasRepeat(Math.floorMod(s, q))) {
        bad++;
      }
    }
    return bad;
  }

  private boolean hasRepeat(int start) {
    for (int i = 0; i < TARGET_N; i++) {
      int a = owner[(start + i) % q];
      for (int j = i + 1; j < TARGET_N; j++) {
        if (a == owner[(start + j) % q]) {
          return true;
        }
      }
    }
    return false;
  }

  /** For each partition, the circular distance to the nearest one owned by {@code node}. */
  private int[] distanceToNearest(int node) {
    int[] d = new int[q];
    Arrays.fill(d, q);
    // Two sweeps round the circle twice each, so wrap-around neighbours are seen.
    int last = -1;
    for (int i = 0; i < 2 * q; i++) {
      int p = i % q;
      if (owner[p] == node) {
        last = i;
      } else if (last >= 0) {
        d[p] = Math.min(d[p], i - last);
      }
    }
    last = -1;
    for (int i = 2 * q - 1; i >= 0; i--) {
      int p = i % q;
      if (owner[p] == node) {
        last = i;
        d[p] = 0;
      } else if (last >= 0) {
        d[p] = Math.min(d[p], last - i);
      }
    }
    return d;
  }

  private String[] result() {
    String[] out = new String[q];
    for (int p = 0; p < q; p++) {
      out[p] = names[owner[p]];
    }
    return out;
  }
}
