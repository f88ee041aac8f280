package io.ringkv.cluster;

import io.ringkv.ring.Replication;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Consistency levels with replicas per DC, as the integer {@code r}/{@code w} of a request
 * carries them: a positive number counts acknowledgements across every DC (what {@code one},
 * {@code quorum}, {@code all} and numbers mean), the negative codes name the DC-aware levels.
 * Pure: what a level requires of each DC, given the replication and the coordinator's DC.
 */
public final class Consistency {
  /** One acknowledgement from the coordinator's DC. */
  public static final int LOCAL_ONE = -1;
  /** A quorum of the coordinator's DC (the default with several DCs). */
  public static final int LOCAL_QUORUM = -2;
  /** A quorum in every DC. */
  public static final int EACH_QUORUM = -3;

  private Consistency() {}

  /** What one request needs: at least {@code perDc} acknowledgements in each DC listed, and {@code total} overall. */
  public record Requirement(Map<String, Integer> perDc, int total) {
    public Requirement {
      perDc = Map.copyOf(perDc);
    }

    /** Whether {@code acknowledged} (by DC) meets it. */
    public boolean metBy(Map<String, Integer> acknowledged) {
      int sum = 0;
      for (int a : acknowledged.values()) {
        sum += a;
      }
      if (sum < total) {
        return false;
      }
      for (Map.Entry<String, Integer> e : perDc.entrySet()) {
        if (acknowledged.getOrDefault(e.getKey(), 0) < e.getValue()) {
          return false;
        }
      }
      return true;
    }

    /** Whether the request involves only the coordinator's DC. */
    public boolean localOnly(String localDc) {
      return perDc.size() == 1 && perDc.containsKey(localDc) && total <= perDc.get(localDc);
    }
  }

  /**
   * Parses {@code local_one|local_quorum|each_quorum|one|quorum|all} or a number 1..N (N across
   * every DC) into a level code; null text gives {@code defaultLevel}.
   *
   * @throws IllegalArgumentException with a one-line reason
   */
  public static int parse(String name, String text, Replication replication, int defaultLevel) {
    if (text == null) {
      return defaultLevel;
    }
    int n = replication.n();
    int level = switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "local_one" -> LOCAL_ONE;
      case "local_quorum" -> LOCAL_QUORUM;
      case "each_quorum" -> EACH_QUORUM;
      case "one" -> 1;
      case "quorum" -> n / 2 + 1;
      case "all" -> n;
      default -> number(name, text);
    };
    if (level == 0 || level > n) {
      throw new IllegalArgumentException(name + " must be between 1 and n=" + n
          + " or one of local_one, local_quorum, each_quorum, one, quorum, all; got " + text);
    }
    return level;
  }

  private static int number(String name, String text) {
    try {
      int v = Integer.parseInt(text.trim());
      return v < 1 ? 0 : v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a number or one of local_one, local_quorum, each_quorum,"
          + " one, quorum, all; got '" + text + "'");
    }
  }

  /** A DC's quorum: a majority of its N. */
  public static int quorumOf(int n) {
    return n / 2 + 1;
  }

  /** What {@code level} requires, for a coordinator in {@code localDc}. */
  public static Requirement requirement(int level, Replication replication, String localDc) {
    Map<String, Integer> perDc = new LinkedHashMap<>();
    switch (level) {
      case LOCAL_ONE -> perDc.put(localDc, 1);
      case LOCAL_QUORUM -> perDc.put(localDc, quorumOf(replication.n(localDc)));
      case EACH_QUORUM -> replication.dcs().forEach(dc -> perDc.put(dc, quorumOf(replication.n(dc))));
      default -> {
        if (level < 1) {
          throw new IllegalArgumentException("unknown consistency level " + level);
        }
        return new Requirement(Map.of(), level);
      }
    }
    int total = perDc.values().stream().mapToInt(Integer::intValue).sum();
    return new Requirement(perDc, total);
  }

  /** The level's name for messages: {@code local_quorum}, or the number. */
  public static String describe(int level) {
    return switch (level) {
      case LOCAL_ONE -> "local_one";
      case LOCAL_QUORUM -> "local_quorum";
      case EACH_QUORUM -> "each_quorum";
      default -> Integer.toString(level);
    };
  }
}
