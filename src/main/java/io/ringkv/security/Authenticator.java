package io.ringkv.security;

import java.util.Set;

/**
 * The node's current tokens, shared by every HTTP instance and replaced whole on a reload
 * (SIGHUP), so a request sees either the old set or the new one. Disabled (everything allowed)
 * when the node runs without {@code --auth-tokens}.
 */
public final class Authenticator {
  private final boolean enabled;
  private volatile Tokens tokens;

  private Authenticator(boolean enabled, Tokens tokens) {
    this.enabled = enabled;
    this.tokens = tokens;
  }

  public static Authenticator disabled() {
    return new Authenticator(false, Tokens.none());
  }

  public static Authenticator of(Tokens tokens) {
    return new Authenticator(true, tokens);
  }

  public boolean enabled() {
    return enabled;
  }

  /** Takes effect for every request that starts after it. */
  public void replace(Tokens next) {
    tokens = next;
  }

  public int tokenCount() {
    return tokens.size();
  }

  /** Decides a request by its {@code Authorization} header (may be null) and the roles it needs. */
  public AuthOutcome check(String authorization, Set<Role> needed) {
    if (!enabled || needed.isEmpty()) {
      return AuthOutcome.ALLOWED;
    }
    return AccessPolicy.decide(tokens.rolesOf(AccessPolicy.bearerToken(authorization)), needed);
  }

  /** Decides a bare token (the feed's first frame) for one role. */
  public AuthOutcome checkToken(String token, Role needed) {
    if (!enabled) {
      return AuthOutcome.ALLOWED;
    }
    return AccessPolicy.decide(tokens.rolesOf(token), Set.of(needed));
  }
}
