package io.ringkv.membership;

import io.ringkv.messaging.Addresses;
import io.ringkv.messaging.RingVote;
import io.ringkv.messaging.RingVoteAnswer;
import io.ringkv.ring.Ballot;
import io.ringkv.ring.RingAcceptor;
import io.ringkv.ring.RingCodec;
import io.ringkv.ring.RingProposal;
import io.ringkv.ring.RingState;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Runs this node's proposals of the next ring version over the event bus: both phases of
 * {@link RingProposal} against the voters of the ring it follows, each message with a timeout.
 * Retries a few times with a higher ballot when a competing proposal got in the way. The result
 * is the ring that was chosen for the version, which may be another node's (then this node's
 * change did not happen), or a failure when no majority answered. Used on the membership
 * verticle's event loop, one proposal at a time.
 */
final class RingProposer {
  static final long VOTE_TIMEOUT_MS = 2_000;
  private static final int ATTEMPTS = 4;

  /** Why a proposal did not decide the version. */
  static final class NoMajorityException extends RuntimeException {
    final long aheadVersion;

    NoMajorityException(String message, long aheadVersion) {
      super(message, null, false, false);
      this.aheadVersion = aheadVersion;
    }
  }

  private final Vertx vertx;
  private final String self;
  private long round;

  RingProposer(Vertx vertx, String self) {
    this.vertx = vertx;
    this.self = self;
  }

  /** Decides ring version {@code base.version() + 1}, proposing {@code next} (which must have that version). */
  Future<RingState> propose(RingState base, RingState next) {
    if (next.version() != base.version() + 1) {
      throw new IllegalArgumentException("proposal " + next.version() + " does not follow " + base.version());
    }
    return attempt(base, RingCodec.encodeState(next), 1);
  }

  private Future<RingState> attempt(RingState base, byte[] value, int attempt) {
    RingProposal proposal = new RingProposal(base.version() + 1, new Ballot(++round, self), value, base.voters());
    return phase(proposal, RingVote.Kind.PREPARE).compose(prepared -> prepared == RingProposal.Phase.ACCEPTING
        ? phase(proposal, RingVote.Kind.ACCEPT) : Future.succeededFuture(prepared))
        .compose(outcome -> {
          if (outcome == RingProposal.Phase.CHOSEN) {
            return Future.succeededFuture(RingCodec.decodeState(proposal.value()));
          }
          round = Math.max(round, proposal.highestPromiseSeen().round());
          if (proposal.highestCommittedSeen() > base.version() || attempt >= ATTEMPTS) {
            return Future.failedFuture(new NoMajorityException("no majority of " + proposal.voters()
                + " agreed on ring version " + proposal.slot(), proposal.highestCommittedSeen()));
          }
          // A competing proposal: back off a random while so the two do not keep colliding.
          long backoff = 50 + ThreadLocalRandom.current().nextLong(200L * attempt);
          return vertx.timer(backoff).compose(v -> attempt(base, value, attempt + 1));
        });
  }

  /** Sends one phase to every voter; completes once the proposal left that phase or all answered. */
  private Future<RingProposal.Phase> phase(RingProposal proposal, RingVote.Kind kind) {
    Promise<RingProposal.Phase> done = Promise.promise();
    RingProposal.Phase start = proposal.phase();
    List<String> voters = List.copyOf(proposal.voters());
    int[] answered = {0};
    RingVote vote = new RingVote(kind, proposal.slot(), proposal.ballot(),
        kind == RingVote.Kind.ACCEPT ? proposal.value() : null);
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(VOTE_TIMEOUT_MS);
    for (String voter : voters) {
      vertx.eventBus().<RingVoteAnswer>request(Addresses.membership(voter), vote, options).onComplete((reply, err) -> {
        RingProposal.Phase now = err != null ? proposal.onSilence(voter) : proposal.onAnswer(voter, acceptorAnswer(
            reply.body()));
        answered[0]++;
        if (now != start || answered[0] == voters.size()) {
          done.tryComplete(now);
        }
      });
    }
    return done.future();
  }

  private static RingAcceptor.Answer acceptorAnswer(RingVoteAnswer a) {
    return new RingAcceptor.Answer(a.ok(), a.promised(), a.acceptedBallot(), a.value(), a.committed());
  }
}
