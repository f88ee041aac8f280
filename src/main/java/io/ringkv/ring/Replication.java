package io.ringkv.ring;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * How many replicas a key has, and where: N on one ring ({@link #single}), or N per datacenter
 * ({@code --replication dc1:3,dc2:3}). Immutable and pure.
 *
 * <h2>Placement per DC: one ring, a slot per DC</h2>
 * With D datacenters (sorted by name, DC k has slot k), partition p belongs to the slot p mod D:
 * only nodes of that DC own it. So each DC has its own sub-ring of about Q/D partitions, claimed
 * by the same {@link Claim} as a one-DC ring (balanced, windows of distinct owners, a join moves
 * about Q/(D(S+1)) partitions and only within the joiner's DC). A key's replicas in DC k are the
 * first N(k) distinct owners of slot-k partitions clockwise from its partition; every partition
 * has exactly one owner of slot k in each run of D, so each DC node's replica load is its share of
 * the sub-ring. The preference list is the DCs' lists one after the other. With one DC, slot 0 is
 * every partition and all of this is exactly the one-ring placement.
 *
 * <p>Until the first node of a DC joins, its slots are held by a node of another DC (the founder);
 * the first joiner of the DC takes all of them. The last node of a DC cannot leave.
 */
public final class Replication {
  private static final Pattern DC_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  public static final int MAX_N_PER_DC = 9;

  private final SortedMap<String, Integer> perDc;
  private final List<String> dcs;
  private final int total;

  private Replication(SortedMap<String, Integer> perDc, int total) {
    this.perDc = Collections.unmodifiableSortedMap(perDc);
    this.dcs = List.copyOf(perDc.keySet());
    this.total = total;
  }

  /** N replicas on one ring, whatever the nodes' DCs (no {@code --replication}). */
  public static Replication single(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("n must be >= 1, got " + n);
    }
    return new Replication(new TreeMap<>(), n);
  }

  /**
   * Parses {@code dc1:3,dc2:3}; blank text means {@link #single} with {@code n}.
   *
   * @throws IllegalArgumentException with a one-line reason
   */
  public static Replication parse(String text, int n) {
    if (text == null || text.isBlank()) {
      return single(n);
    }
    SortedMap<String, Integer> map = new TreeMap<>();
    int total = 0;
    for (String part : text.split(",")) {
      String item = part.trim();
      int colon = item.indexOf(':');
      if (colon <= 0 || colon == item.length() - 1) {
        throw new IllegalArgumentException("replication must look like dc1:3,dc2:3, got '" + text + "'");
      }
      String dc = item.substring(0, colon).trim();
      if (!DC_NAME.matcher(dc).matches()) {
        throw new IllegalArgumentException("datacenter name '" + dc + "' must be 1..64 of A-Z a-z 0-9 _ . -");
      }
      int count;
      try {
        count = Integer.parseInt(item.substring(colon + 1).trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("replicas of " + dc + " must be a number, got '" + item + "'");
      }
      if (count < 1 || count > MAX_N_PER_DC) {
        throw new IllegalArgumentException("replicas of " + dc + " must be 1.." + MAX_N_PER_DC + ", got " + count);
      }
      if (map.put(dc, count) != null) {
        throw new IllegalArgumentException("datacenter " + dc + " is listed twice in '" + text + "'");
      }
      total += count;
    }
    return new Replication(map, total);
  }

  /** True with {@code --replication}: replicas per DC, DC-aware consistency levels. */
  public boolean multiDc() {
    return !perDc.isEmpty();
  }

  /** The DCs, sorted; empty for a single ring. */
  public List<String> dcs() {
    return dcs;
  }

  /** Replicas per key over all DCs. */
  public int n() {
    return total;
  }

  /** Replicas per key in {@code dc} (0 for a DC not listed). */
  public int n(String dc) {
    return perDc.getOrDefault(dc, 0);
  }

  /** DC k's slot: the partitions p with p mod D == k. -1 for a DC not listed. */
  public int slot(String dc) {
    return Collections.binarySearch(dcs, dc) >= 0 ? Collections.binarySearch(dcs, dc) : -1;
  }

  /** The DC of partition p's owner. */
  public String dcOfPartition(int partition) {
    return dcs.get(partition % dcs.size());
  }

  /** Canonical text ({@code dc1:3,dc2:3}); empty for a single ring. */
  public String text() {
    StringBuilder sb = new StringBuilder();
    perDc.forEach((dc, n) -> sb.append(sb.length() == 0 ? "" : ",").append(dc).append(':').append(n));
    return sb.toString();
  }

  /** The home replicas of a partition: each DC's, in DC order (distinct). */
  public List<String> homes(Ring ring, int partition) {
    if (!multiDc()) {
      return ring.preferenceList(partition, total);
    }
    List<String> out = new ArrayList<>(total);
    for (String dc : dcs) {
      for (String node : walk(ring, partition, dc, perDc.get(dc))) {
        if (!out.contains(node)) {
          out.add(node);
        }
      }
    }
    return List.copyOf(out);
  }

  /** Each DC's home replicas of a partition, by DC (positional: a DC without nodes yet lists the slot's holder). */
  public Map<String, List<String>> homesByDc(Ring ring, int partition) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String dc : dcs) {
      out.put(dc, walk(ring, partition, dc, perDc.get(dc)));
    }
    return out;
  }

  /**
   * The first {@code count} distinct owners of {@code dc}'s slot clockwise from {@code partition}
   * (fewer if the slot has fewer owners): the DC's preference list, and beyond N its fallbacks.
   */
  public List<String> walk(Ring ring, int partition, String dc, int count) {
    int d = dcs.size();
    int slot = slot(dc);
    int q = ring.partitions();
    if (slot < 0 || slot >= q) {
      return List.of();
    }
    int first = partition + Math.floorMod(slot - partition, d);
    if (first >= q) {
      first = slot;
    }
    List<String> out = new ArrayList<>(count);
    int positions = (q - slot + d - 1) / d;
    for (int i = 0, p = first; i < positions && out.size() < count; i++) {
      String owner = ring.ownerOf(p);
      if (!out.contains(owner)) {
        out.add(owner);
      }
      p += d;
      if (p >= q) {
        p = slot;
      }
    }
    return out;
  }

  /**
   * Owners after {@code id} of {@code dc} joined: it claims its balanced share of its DC's slot;
   * the first node of a DC takes every partition of the slot from the node of another DC that
   * held it. With one ring this is {@link Claim#addNode}.
   *
   * @param dcOf the DC of every member that owns partitions
   */
  public String[] claimJoin(String[] owners, String id, String dc, Map<String, String> dcOf) {
    if (!multiDc()) {
      return Claim.addNode(owners, id);
    }
    int[] positions = positions(dc, owners.length);
    String[] sub = pick(owners, positions);
    boolean anyNative = false;
    for (int i = 0; i < sub.length; i++) {
      if (dc.equals(dcOf.get(sub[i]))) {
        anyNative = true;
      } else {
        sub[i] = id;
      }
    }
    return put(owners, positions, anyNative ? Claim.addNode(sub, id) : sub);
  }

  /**
   * Owners after {@code id} of {@code dc} left: its partitions go to the other nodes of its DC.
   *
   * @throws RingChangeException if it is the last node of its DC
   */
  public String[] claimLeave(String[] owners, String id, String dc) {
    if (!multiDc()) {
      return Claim.removeNode(owners, id);
    }
    int[] positions = positions(dc, owners.length);
    String[] sub = pick(owners, positions);
    boolean others = false;
    for (String o : sub) {
      others |= !o.equals(id);
    }
    if (!others) {
      throw new RingChangeException(RingChangeException.Reason.CONFLICT,
          id + " is the last member of " + dc + " and cannot leave: its replicas would have no node");
    }
    return put(owners, positions, Claim.removeNode(sub, id));
  }

  private int[] positions(String dc, int q) {
    int slot = slot(dc);
    if (slot < 0) {
      throw new IllegalArgumentException("datacenter " + dc + " is not in the replication " + text());
    }
    int d = dcs.size();
    int[] out = new int[Math.max(0, (q - slot + d - 1) / d)];
    for (int i = 0; i < out.length; i++) {
      out[i] = slot + i * d;
    }
    return out;
  }

  private static String[] pick(String[] owners, int[] positions) {
    String[] sub = new String[positions.length];
    for (int i = 0; i < positions.length; i++) {
      sub[i] = owners[positions[i]];
    }
    return sub;
  }

  private static String[] put(String[] owners, int[] positions, String[] sub) {
    String[] out = owners.clone();
    for (int i = 0; i < positions.length; i++) {
      out[positions[i]] = sub[i];
    }
    return out;
  }

  /** The DC names accepted by {@code --dc}. */
  public static boolean validDcName(String dc) {
    return dc != null && DC_NAME.matcher(dc).matches();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Replication r && perDc.equals(r.perDc) && total == r.total;
  }

  @Override
  public int hashCode() {
    return perDc.hashCode() * 31 + total;
  }

  @Override
  public String toString() {
    return multiDc() ? text() : "n=" + total;
  }
}
