package io.ringkv.api;

import io.ringkv.security.AccessPolicy;
import io.ringkv.security.AuthOutcome;
import io.ringkv.security.Authenticator;
import io.ringkv.security.Role;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The first handler of every request when the node has tokens: decides it by
 * {@link AccessPolicy} and answers 401 ({@code WWW-Authenticate: Bearer}) or 403 before any other
 * route runs. The token is never logged or echoed. A WebSocket upgrade of {@code /feed} without an
 * Authorization header passes: the feed then takes the token as its first message.
 */
final class AuthHandler {
  private final Authenticator auth;

  AuthHandler(Authenticator auth) {
    this.auth = auth;
  }

  void handle(RoutingContext rc) {
    HttpServerRequest request = rc.request();
    String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
    Set<Role> needed = AccessPolicy.required(request.method().name(), request.path(), rc.normalizedPath());
    if (authorization == null && isFeedUpgrade(rc, needed)) {
      rc.next();
      return;
    }
    // Two Authorization headers: which one counts would be a guess, and a proxy may pick the other.
    AuthOutcome outcome = !needed.isEmpty() && request.headers().getAll(HttpHeaders.AUTHORIZATION).size() > 1
        ? AuthOutcome.UNAUTHORIZED
        : auth.check(authorization, needed);
    if (outcome == AuthOutcome.ALLOWED) {
      rc.next();
      return;
    }
    if (!request.isEnded()) {
      // Its body is not wanted: close instead of reading it to the end.
      rc.response().putHeader(HttpHeaders.CONNECTION, "close");
    }
    if (outcome == AuthOutcome.UNAUTHORIZED) {
      rc.response().putHeader("WWW-Authenticate", "Bearer");
      JsonReplies.error(rc, ErrorCode.UNAUTHORIZED, authorization == null
          ? "this node requires a token: send Authorization: Bearer <token>"
          : "unknown token or malformed Authorization header (expected Bearer <token>)");
    } else {
      String roles = needed.stream().map(Role::label).sorted().collect(Collectors.joining(", "));
      JsonReplies.json(rc, ErrorCode.FORBIDDEN.status(), JsonReplies.errorBody(ErrorCode.FORBIDDEN,
          "this token lacks the role this request needs: " + roles).put("required", roles));
    }
  }

  private static boolean isFeedUpgrade(RoutingContext rc, Set<Role> needed) {
    return rc.request().method() == HttpMethod.GET && needed.equals(Set.of(Role.READ))
        && "/feed".equals(rc.request().path())
        && "/feed".equals(rc.normalizedPath()) && rc.request().headers().contains(HttpHeaders.UPGRADE);
  }
}
