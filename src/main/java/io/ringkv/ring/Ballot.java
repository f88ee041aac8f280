package io.ringkv.ring;

import java.util.Comparator;

/** A proposal number of the ring agreement: a round, then the proposing node's id to break ties. */
public record Ballot(long round, String node) implements Comparable<Ballot> {
  /** Below every real ballot: what an acceptor has promised before any prepare. */
  public static final Ballot ZERO = new Ballot(0, "");

  private static final Comparator<Ballot> ORDER = Comparator.comparingLong(Ballot::round).thenComparing(Ballot::node);

  @Override
  public int compareTo(Ballot other) {
    return ORDER.compare(this, other);
  }

  public boolean isAfter(Ballot other) {
    return compareTo(other) > 0;
  }
}
