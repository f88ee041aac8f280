package io.ringkv.security;

import java.util.Locale;

/** What a bearer token may do (API.md, "Security"). {@code ADMIN} implies the others. */
public enum Role {
  READ, WRITE, ADMIN;

  /** Whether a token holding this role may do what {@code needed} allows. */
  public boolean grants(Role needed) {
    return this == needed || this == ADMIN;
  }

  /** {@code read}, {@code write} or {@code admin}; anything else is refused. */
  public static Role parse(String name) {
    return switch (name.trim().toLowerCase(Locale.ROOT)) {
      case "read" -> READ;
      case "write" -> WRITE;
      case "admin" -> ADMIN;
      default -> throw new IllegalArgumentException("unknown role '" + name + "' (expected read, write or admin)");
    };
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
