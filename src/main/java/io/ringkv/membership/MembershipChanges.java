package io.ringkv.membership;

import io.ringkv.cluster.ClusterState;
import io.ringkv.cluster.MemberInfo;
import io.ringkv.cluster.MemberStatus;
import io.ringkv.ring.RingChangeException;
import io.ringkv.ring.RingCodec;
import io.ringkv.ring.RingState;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.function.BiFunction;

/**
 * The membership changes of API.md ("Membership changes") as this node's HTTP API asks for them:
 * {@code {"op": "join"|"leave"|"remove", "member": id}}, answered with {@code {"status", ...}} (202
 * when the change started, 404 for an unknown node, 409 when it conflicts with the ring or with a
 * change already running, 503 when no majority of the members could agree).
 */
final class MembershipChanges {
  /** This node is already busy proposing a ring version. */
  static final class BusyException extends RuntimeException {
    BusyException(String message) {
      super(message, null, false, false);
    }
  }

  private final ClusterState cluster;
  private final BiFunction<RingState, RingState, Future<RingState>> propose;

  MembershipChanges(ClusterState cluster, BiFunction<RingState, RingState, Future<RingState>> propose) {
    this.cluster = cluster;
    this.propose = propose;
  }

  Future<JsonObject> handle(JsonObject request) {
    String op = request.getString("op");
    String member = request.getString("member");
    RingState ring = cluster.ringState();
    if (ring == null) {
      return Future.succeededFuture(answer(503, "unavailable", "this node does not know the ring yet"));
    }
    RingState next;
    try {
      next = switch (op) {
        case "join" -> join(ring, member);
        case "leave" -> ring.leave(member);
        case "remove" -> remove(ring, member);
        default -> throw new IllegalArgumentException("unknown membership operation " + op);
      };
    } catch (RingChangeException e) {
      return Future.succeededFuture(e.reason() == RingChangeException.Reason.UNKNOWN_MEMBER
          ? answer(404, "not_found", e.getMessage()) : answer(409, "conflict", e.getMessage()));
    }
    return propose.apply(ring, next).map(chosen -> sameChange(chosen, next)
        ? answer(202, null, op + " of " + member + " started: ring version " + chosen.version())
            .put("version", chosen.version()).put("moving", chosen.movingPartitions())
        : answer(409, "conflict", "another membership change took ring version " + chosen.version()
            + "; try again once it has finished"))
        .recover(err -> Future.succeededFuture(err instanceof BusyException
            ? answer(409, "conflict", err.getMessage())
            : err instanceof RingProposer.NoMajorityException nm && nm.aheadVersion > ring.version()
                ? answer(409, "conflict", "another membership change took ring version " + (ring.version() + 1)
                    + " (members already hold version " + nm.aheadVersion + "); try again once it has finished")
                : answer(503, "unavailable", "could not agree on the change: " + err.getMessage())));
  }

  /** A node can join only once the others have heard of it (it gossips). */
  private RingState join(RingState ring, String member) {
    MemberInfo info = cluster.membership().digest().stream().filter(m -> m.id().equals(member)).findFirst()
        .orElse(null);
    if (info == null) {
      throw new RingChangeException(RingChangeException.Reason.UNKNOWN_MEMBER,
          "no node " + member + " is known: start it with --seeds of this cluster first");
    }
    return ring.join(member, info.dc());
  }

  /** Remove is for a member that is dead for good: one that is up should leave instead. */
  private RingState remove(RingState ring, String member) {
    if (ring.membership(member) != null && cluster.liveness().status(member) != MemberStatus.DOWN) {
      throw new RingChangeException(RingChangeException.Reason.CONFLICT, member + " is "
          + cluster.liveness().status(member).label() + ": remove is for a dead node; use leave");
    }
    return ring.leave(member);
  }

  private static boolean sameChange(RingState chosen, RingState proposed) {
    return Arrays.equals(RingCodec.encodeState(chosen), RingCodec.encodeState(proposed));
  }

  static JsonObject answer(int status, String error, String message) {
    JsonObject answer = new JsonObject().put("status", status).put("message", message);
    return error == null ? answer : answer.put("error", error);
  }
}
