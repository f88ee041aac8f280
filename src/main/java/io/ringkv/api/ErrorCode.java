package io.ringkv.api;

/** The stable error codes of the API, each with its HTTP status (the only place they are mapped). */
public enum ErrorCode {
  BAD_REQUEST("bad_request", 400),
  /** No token, or one the node does not know (with {@code WWW-Authenticate: Bearer}). */
  UNAUTHORIZED("unauthorized", 401),
  /** A known token without the role the request needs. */
  FORBIDDEN("forbidden", 403),
  NOT_FOUND("not_found", 404),
  METHOD_NOT_ALLOWED("method_not_allowed", 405),
  /** A write that would leave the key with more siblings than max-siblings: nothing was written. */
  TOO_MANY_SIBLINGS("too_many_siblings", 409),
  TOO_LARGE("too_large", 413),
  UNAVAILABLE("unavailable", 503),
  TIMEOUT("timeout", 503),
  INTERNAL("internal", 500);

  private final String code;
  private final int status;

  ErrorCode(String code, int status) {
    this.code = code;
    this.status = status;
  }

  public String code() {
    return code;
  }

  public int status() {
    return status;
  }
}
