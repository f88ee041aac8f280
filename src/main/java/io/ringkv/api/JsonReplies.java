package io.ringkv.api;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** JSON answers of the admin endpoints, errors in the API's one shape: {@code {"error", "message", ...}}. */
public final class JsonReplies {
  private JsonReplies() {}

  public static void json(RoutingContext rc, int status, JsonObject body) {
    if (rc.response().ended()) {
      return;
    }
    rc.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body.toBuffer());
  }

  public static void error(RoutingContext rc, ErrorCode code, String message) {
    json(rc, code.status(), errorBody(code, message));
  }

  public static JsonObject errorBody(ErrorCode code, String message) {
    return new JsonObject().put("error", code.code()).put("message", message);
  }
}
