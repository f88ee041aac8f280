package io.ringkv.security;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Which role a request needs (API.md, "Security"): {@code GET /health} and {@code GET /ready} are
 * open; GET and the feed need {@code read}; PUT and DELETE of a key {@code write};
 * {@code /metrics}, the fault endpoints and every other {@code /cluster} method than GET
 * {@code admin}; other {@code /cluster} GETs {@code read}. The demo page's static files (any other
 * GET path) are open: they hold no data, and a browser must load the page before it can ask for a
 * token. Paths are matched by prefix, so a longer path or a trailing slash never needs less.
 */
public final class AccessPolicy {
  private AccessPolicy() {}

  /**
   * The roles a request needs, all of them; empty when open. Give every form of the path the
   * router may match (raw and normalised): a request must satisfy the policy for each, so no
   * spelling of a path ({@code /x/../metrics}) reaches an endpoint with less than its role.
   */
  public static Set<Role> required(String method, String... paths) {
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (String path : paths) {
      Role role = requiredFor(method, path);
      if (role != null) {
        roles.add(role);
      }
    }
    return roles;
  }

  /** The role one path needs, or null when it is open. */
  static Role requiredFor(String method, String path) {
    String m = method == null ? "" : method.toUpperCase(Locale.ROOT);
    boolean read = m.equals("GET") || m.equals("HEAD");
    String p = path == null || path.isEmpty() ? "/" : path;
    if (under(p, "/kv")) {
      return read ? Role.READ : m.equals("PUT") || m.equals("DELETE") ? Role.WRITE : Role.READ;
    }
    if (under(p, "/metrics") || under(p, "/cluster/faults")) {
      return Role.ADMIN;
    }
    if (under(p, "/cluster")) {
      return read ? Role.READ : Role.ADMIN;
    }
    if (under(p, "/feed")) {
      return Role.READ;
    }
    if (m.equals("GET") && (p.equals("/health") || p.equals("/ready"))) {
      return null;
    }
    // The demo page's static files, and 404 for anything else; other methods need a token.
    return read ? null : Role.READ;
  }

  private static boolean under(String path, String prefix) {
    return path.startsWith(prefix);
  }

  /** The outcome for a token's roles (null: no or unknown token) and what the request needs. */
  public static AuthOutcome decide(Set<Role> held, Set<Role> needed) {
    if (needed.isEmpty()) {
      return AuthOutcome.ALLOWED;
    }
    if (held == null) {
      return AuthOutcome.UNAUTHORIZED;
    }
    for (Role need : needed) {
      if (held.stream().noneMatch(h -> h.grants(need))) {
        return AuthOutcome.FORBIDDEN;
      }
    }
    return AuthOutcome.ALLOWED;
  }

  /** The token of an {@code Authorization: Bearer <token>} header; null when absent or malformed. */
  public static String bearerToken(String authorization) {
    if (authorization == null) {
      return null;
    }
    String value = authorization.trim();
    if (value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String token = value.substring(7).trim();
    return token.isEmpty() || token.length() > Tokens.MAX_TOKEN_CHARS ? null : token;
  }
}
