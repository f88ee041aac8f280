package io.ringkv.security;

/** What the node does with a request, given its token and the role it needs. */
public enum AuthOutcome {
  /** Open endpoint, or a token holding the role. */
  ALLOWED,
  /** No token, a malformed Authorization header or an unknown token: 401 with WWW-Authenticate. */
  UNAUTHORIZED,
  /** A known token without the role: 403. */
  FORBIDDEN
}
