package io.ringkv.chaos;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The seeded sequence of fault episodes of a chaos run: the same seed, nodes and kinds give the same
 * episodes (which ones run depends on the duration). Every listed kind leads one episode of each
 * round of {@code kinds.size()} episodes, so short runs see every kind. An episode hits one or two
 * nodes, never more than {@code maxFaulty} (N - 1, so every key keeps a live home replica); a third
 * of the single-node episodes add a second fault of another kind on another node (a kill during a
 * partition, say). At most one network cut per episode.
 */
public final class FaultSchedule {
  public static final long MIN_GAP_MS = 2_000;
  public static final long MAX_GAP_MS = 6_000;
  public static final long MIN_HOLD_MS = 4_000;
  public static final long MAX_HOLD_MS = 12_000;

  private final Random random;
  private final List<String> nodes;
  private final int maxFaulty;
  private final List<FaultKind> kinds;
  private final List<FaultKind> round = new ArrayList<>();
  private int number;

  public FaultSchedule(long seed, List<String> nodes, int maxFaulty, List<FaultKind> kinds) {
    if (kinds.isEmpty()) {
      throw new IllegalArgumentException("no fault kinds");
    }
    if (maxFaulty < 1 || maxFaulty >= nodes.size()) {
      throw new IllegalArgumentException("maxFaulty must be 1.." + (nodes.size() - 1) + ", got " + maxFaulty);
    }
    this.random = new Random(seed);
    this.nodes = List.copyOf(nodes);
    this.maxFaulty = maxFaulty;
    this.kinds = List.copyOf(kinds);
  }

  public Episode next() {
    if (round.isEmpty()) {
      round.addAll(kinds);
      Collections.shuffle(round, random);
    }
    FaultKind primary = round.remove(0);
    long gap = between(MIN_GAP_MS, MAX_GAP_MS);
    long hold = between(MIN_HOLD_MS, MAX_HOLD_MS);
    List<String> pool = new ArrayList<>(nodes);
    Collections.shuffle(pool, random);
    int count = primary == FaultKind.WIPE || maxFaulty < 2 ? 1 : 1 + random.nextInt(2);
    List<FaultAction> actions = new ArrayList<>();
    actions.add(new FaultAction(primary, take(pool, count)));
    List<FaultKind> partners = partnersOf(primary);
    if (count == 1 && maxFaulty >= 2 && !partners.isEmpty() && random.nextInt(3) == 0) {
      actions.add(new FaultAction(partners.get(random.nextInt(partners.size())), take(pool, 1)));
    }
    return new Episode(++number, gap, hold, actions);
  }

  /** Kinds that may join {@code primary} in one episode: another kind, no second network cut, no wipe. */
  private List<FaultKind> partnersOf(FaultKind primary) {
    List<FaultKind> partners = new ArrayList<>();
    for (FaultKind k : kinds) {
      if (k != primary && k != FaultKind.WIPE && !(k.cutsNetwork() && primary.cutsNetwork())) {
        partners.add(k);
      }
    }
    return partners;
  }

  private static List<String> take(List<String> pool, int count) {
    List<String> taken = new ArrayList<>(pool.subList(0, count));
    pool.subList(0, count).clear();
    return taken;
  }

  private long between(long min, long max) {
    return min + (long) (random.nextDouble() * (max - min));
  }
}
