package io.ringkv.ring;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One proposer's attempt to decide ring version {@code slot} (single-decree Paxos): prepare
 * under a ballot until a majority of the voters promised; then ask them to accept the value of the
 * highest ballot any of them had accepted (or, if none had, this proposer's own value); chosen once
 * a majority accepted. The voters are the members of the ring the slot follows. Pure; the caller
 * moves the messages and retries with a higher ballot when this attempt fails.
 */
public final class RingProposal {
  public enum Phase { PREPARING, ACCEPTING, CHOSEN, FAILED }

  private final long slot;
  private final Ballot ballot;
  private final byte[] own;
  private final Set<String> voters;
  private final int majority;
  private final Set<String> promised = new HashSet<>();
  private final Set<String> accepted = new HashSet<>();
  private final Set<String> refused = new HashSet<>();
  private Ballot highestAccepted;
  private byte[] value;
  private Phase phase = Phase.PREPARING;
  private long highestCommittedSeen;
  private Ballot highestPromiseSeen = Ballot.ZERO;

  public RingProposal(long slot, Ballot ballot, byte[] value, List<String> voters) {
    if (voters.isEmpty()) {
      throw new IllegalArgumentException("no voters");
    }
    this.slot = slot;
    this.ballot = ballot;
    this.own = value.clone();
    this.value = this.own;
    this.voters = Set.copyOf(voters);
    this.majority = voters.size() / 2 + 1;
  }

  public long slot() {
    return slot;
  }

  public Ballot ballot() {
    return ballot;
  }

  public Phase phase() {
    return phase;
  }

  public Set<String> voters() {
    return voters;
  }

  /** The value phase 2 proposes and, once chosen, the decided ring. */
  public byte[] value() {
    return value;
  }

  /** True if the value is not this proposer's own: another proposal may already have won the slot. */
  public boolean adopted() {
    return value != own;
  }

  /** The highest ring version a refusing voter said it holds (it may be ahead of this proposer). */
  public long highestCommittedSeen() {
    return highestCommittedSeen;
  }

  /** The highest ballot a refusing voter had promised: retry above it. */
  public Ballot highestPromiseSeen() {
    return highestPromiseSeen;
  }

  public Phase onAnswer(String from, RingAcceptor.Answer answer) {
    if (!voters.contains(from) || phase == Phase.CHOSEN || phase == Phase.FAILED) {
      return phase;
    }
    if (!answer.ok()) {
      refused.add(from);
      highestCommittedSeen = Math.max(highestCommittedSeen, answer.committed());
      if (answer.promised() != null && answer.promised().isAfter(highestPromiseSeen)) {
        highestPromiseSeen = answer.promised();
      }
      if (voters.size() - refused.size() < majority) {
        phase = Phase.FAILED;
      }
      return phase;
    }
    if (phase == Phase.PREPARING) {
      promised.add(from);
      if (answer.acceptedBallot() != null
          && (highestAccepted == null || answer.acceptedBallot().isAfter(highestAccepted))) {
        highestAccepted = answer.acceptedBallot();
        value = answer.acceptedValue();
      }
      if (promised.size() >= majority) {
        phase = Phase.ACCEPTING;
      }
    } else if (phase == Phase.ACCEPTING && answer.acceptedBallot() != null && answer.acceptedBallot().equals(ballot)) {
      accepted.add(from);
      if (accepted.size() >= majority) {
        phase = Phase.CHOSEN;
      }
    }
    return phase;
  }

  /** A voter that did not answer in time counts as a refusal. */
  public Phase onSilence(String from) {
    return onAnswer(from, new RingAcceptor.Answer(false, null, null, null, 0));
  }
}
