package io.ringkv.api;

import io.vertx.ext.web.RoutingContext;

/**
 * The first handler of every request: a path or query string that does not decode (a broken
 * percent-escape such as {@code %zz} or {@code %4}, in a parameter's name or value) is refused with
 * 400 here, once, instead of failing later wherever a route first decodes it (which answered 500,
 * or nothing at all when that happened after the body was read).
 */
final class RequestSanity {
  private RequestSanity() {}

  static void handle(RoutingContext rc) {
    try {
      rc.normalizedPath();
      rc.request().params(); // decoded once and kept by Vert.x: the routes read it from there
    } catch (IllegalArgumentException e) {
      JsonReplies.error(rc, ErrorCode.BAD_REQUEST, "malformed request path or query string: " + e.getMessage());
      return;
    }
    rc.next();
  }
}
