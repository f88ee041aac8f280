package io.ringkv.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The tokens a node accepts, each with its roles. Only SHA-256 digests of the tokens are kept, and
 * a lookup compares the presented token's digest with every entry in constant time
 * ({@link MessageDigest#isEqual}) without stopping at a match, so neither the answer's timing nor a
 * heap dump gives a token away. Immutable: a reload builds a new one.
 */
public final class Tokens {
  /** Longer tokens are refused unread: a lookup must not cost what the client chooses. */
  public static final int MAX_TOKEN_CHARS = 4096;
  private static final Tokens NONE = new Tokens(List.of());

  private record Entry(byte[] digest, Set<Role> roles) {}

  private final List<Entry> entries;

  private Tokens(List<Entry> entries) {
    this.entries = entries;
  }

  public static Tokens none() {
    return NONE;
  }

  /** One token per grant; a token listed twice is refused by {@link TokenFile}. */
  public static Tokens of(List<Grant> grants) {
    return new Tokens(grants.stream().map(g -> new Entry(digest(g.token()), Set.copyOf(EnumSet.copyOf(g.roles()))))
        .toList());
  }

  /** A token and its roles, as read from the token file. */
  public record Grant(String token, Set<Role> roles) {
    public Grant {
      if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_CHARS) {
        throw new IllegalArgumentException("a token must be 1.." + MAX_TOKEN_CHARS + " characters");
      }
      if (roles == null || roles.isEmpty()) {
        throw new IllegalArgumentException("a token needs at least one role");
      }
      roles = Set.copyOf(roles);
    }

    @Override
    public String toString() {
      return "Grant[roles=" + roles + "]"; // never the token itself
    }
  }

  public int size() {
    return entries.size();
  }

  /** The roles of {@code token}, or null for an unknown one. Constant time in the token's content. */
  public Set<Role> rolesOf(String token) {
    if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_CHARS) {
      return null;
    }
    byte[] presented = digest(token);
    Set<Role> found = null;
    for (Entry e : entries) {
      if (MessageDigest.isEqual(e.digest(), presented) && found == null) {
        found = e.roles();
      }
    }
    return found;
  }

  private static byte[] digest(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  @Override
  public String toString() {
    return "Tokens[" + entries.size() + "]";
  }
}
