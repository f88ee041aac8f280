package io.ringkv.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Set;
import org.junit.jupiter.api.Test;

class TokenFileTest {
  private static final String SECRET = "s3cret-Token_value";

  @Test
  void readsTokensAndRoles() {
    Tokens tokens = TokenFile.parse("""
        {"tokens": [{"token": "r-1", "roles": ["read"]},
                    {"token": "rw", "roles": ["read", "WRITE"]},
                    {"token": "%s", "roles": ["admin"]}]}""".formatted(SECRET));
    assertEquals(3, tokens.size());
    assertEquals(Set.of(Role.READ), tokens.rolesOf("r-1"));
    assertEquals(Set.of(Role.READ, Role.WRITE), tokens.rolesOf("rw"));
    assertEquals(Set.of(Role.ADMIN), tokens.rolesOf(SECRET));
    assertNull(tokens.rolesOf("r-2"));
    assertNull(tokens.rolesOf("r-1 "));
    assertNull(tokens.rolesOf(""));
    assertNull(tokens.rolesOf(null));
  }

  @Test
  void refusesBadFilesWithoutQuotingThem() {
    String[] bad = {
        "not json " + SECRET,
        "[\"" + SECRET + "\"]",
        "{\"tokens\": {}}",
        "{\"tokens\": [\"" + SECRET + "\"]}",
        "{\"tokens\": [{\"token\": \"" + SECRET + "\"}]}",
        "{\"tokens\": [{\"token\": \"" + SECRET + "\", \"roles\": []}]}",
        "{\"tokens\": [{\"token\": \"" + SECRET + "\", \"roles\": [\"root\"]}]}",
        "{\"tokens\": [{\"token\": \"" + SECRET + "\", \"roles\": [1]}]}",
        "{\"tokens\": [{\"token\": \"has space\", \"roles\": [\"read\"]}]}",
        "{\"tokens\": [{\"token\": \"" + SECRET + "\", \"roles\": [\"read\"]}, {\"token\": \"" + SECRET
            + "\", \"roles\": [\"admin\"]}]}",
    };
    for (String text : bad) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TokenFile.parse(text), text);
      assertFalse(e.getMessage().contains(SECRET), e.getMessage());
    }
  }

  @Test
  void aGrantNeverPrintsItsToken() {
    assertFalse(new Tokens.Grant(SECRET, Set.of(Role.READ)).toString().contains(SECRET));
    assertFalse(TokenFile.parse("{\"tokens\": [{\"token\": \"" + SECRET + "\", \"roles\": [\"read\"]}]}")
        .toString().contains(SECRET));
  }

  @Test
  void aDisabledAuthenticatorAllowsEverythingAndAReloadReplacesTheTokens() {
    assertEquals(AuthOutcome.ALLOWED, Authenticator.disabled().check(null, Set.of(Role.ADMIN)));
    Authenticator auth = Authenticator.of(TokenFile.parse("{\"tokens\": [{\"token\": \"old\", \"roles\": [\"read\"]}]}"));
    assertEquals(AuthOutcome.ALLOWED, auth.check("Bearer old", Set.of(Role.READ)));
    assertEquals(AuthOutcome.FORBIDDEN, auth.check("Bearer old", Set.of(Role.WRITE)));
    auth.replace(TokenFile.parse("{\"tokens\": [{\"token\": \"new\", \"roles\": [\"write\"]}]}"));
    assertEquals(AuthOutcome.UNAUTHORIZED, auth.check("Bearer old", Set.of(Role.READ)));
    assertEquals(AuthOutcome.ALLOWED, auth.check("Bearer new", Set.of(Role.WRITE)));
    assertEquals(AuthOutcome.ALLOWED, auth.check(null, Set.of()));
  }
}
