package io.ringkv.security;

import io.ringkv.version.CausalContextCodec;
import io.ringkv.version.InvalidContextException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A seeded corpus of bad HTTP requests, as raw bytes (so nothing a well-behaved client library
 * would refuse to send is out of reach). Every request a token that may write is put on carries
 * at least one defect the node must refuse (a bad quorum, timeout or flag, a duplicate parameter,
 * a bad key, a body over the limit, a context that does not decode), so none of them may write.
 */
final class FuzzCorpus {
  /** One request: its bytes, and whether the client half-closes after sending (a truncated body). */
  record Case(String family, byte[] bytes, boolean halfClose, boolean head) {}

  private static final String[] METHODS = {"GET", "PUT", "DELETE", "POST", "PATCH", "OPTIONS", "HEAD", "TRACE",
      "CONNECT", "FOO", "get", "G\u00c9T"};
  private static final String[] PATH_PIECES = {"/kv/", "/kv", "/cluster", "/cluster/", "/metrics", "/feed",
      "/health", "/ready", "/cluster/faults", "/cluster/members/n1/join", "/cluster/antientropy/run",
      "/cluster/preference/", "/js/", "/../", "/./", "//", "%2e%2e/", "%2F", "%00", "%zz", "%4", "%ff%fe", "%c0%af",
      "..", "?", "#", ";", "&", "=", "~", " ", "\t", "%20", "+", "\u00e9", "\ud83d\ude00", "*", "\\", "%25"};
  private static final String[] POISON = {"w=0", "w=2", "w=-5", "w=99999999999999999999", "w=abc", "w=1&w=1",
      "w=", "timeout=0", "timeout=abc", "timeout=99999999", "timeout=-1", "timeout=1&timeout=2", "sloppy=maybe",
      "sloppy=1", "sloppy=true&sloppy=false"};
  private static final String[] EXTRA = {"r=1", "r=0", "r=one", "r=quorum", "r=all", "r=1&r=1", "r=1e3", "x=y",
      "returnbody=true", "a[]=1", "=", "&&&", "r=%ff", "timeout=100", "%zz=1", "r"};

  private final Random random;
  private final String readToken;
  private final String writeToken;
  private final String foreignContext;
  private final int maxValueBytes;

  FuzzCorpus(long seed, String readToken, String writeToken, String foreignContext, int maxValueBytes) {
    this.random = new Random(seed);
    this.readToken = readToken;
    this.writeToken = writeToken;
    this.foreignContext = foreignContext;
    this.maxValueBytes = maxValueBytes;
  }

  List<Case> generate(int count) {
    List<Case> cases = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      cases.add(switch (i % 6) {
        case 0 -> randomPathAndMethod();
        case 1 -> badParameters();
        case 2 -> badHeaders();
        case 3 -> badBody();
        case 4 -> badContext();
        default -> garbage();
      });
    }
    return cases;
  }

  /** Any method on any path, without a token, with a wrong one or with a read-only one. */
  private Case randomPathAndMethod() {
    String method = pick(METHODS);
    StringBuilder path = new StringBuilder();
    for (int i = random.nextInt(6) + 1; i > 0; i--) {
      path.append(random.nextInt(4) == 0 ? randomText(random.nextInt(12)) : pick(PATH_PIECES));
    }
    String p = path.length() > 0 && path.charAt(0) == '/' ? path.toString() : "/" + path;
    String auth = switch (random.nextInt(4)) {
      case 0 -> "";
      case 1 -> "Authorization: Bearer " + randomText(20) + "\r\n";
      case 2 -> "Authorization: " + pick(new String[] {"Basic eDp5", "Bearer", "bearer  ", "Token x"}) + "\r\n";
      default -> "Authorization: Bearer " + readToken + "\r\n";
    };
    boolean body = random.nextBoolean();
    String request = method + " " + p + " HTTP/1.1\r\nHost: fuzz\r\n" + auth
        + (body ? "Content-Length: 5\r\n\r\nhello" : "\r\n");
    return new Case("path", bytes(request), false, method.equals("HEAD"));
  }

  /** A data request under the write token whose parameters the node must refuse. */
  private Case badParameters() {
    String method = random.nextBoolean() ? "PUT" : "DELETE";
    List<String> params = new ArrayList<>();
    params.add(pick(POISON));
    for (int i = random.nextInt(4); i > 0; i--) {
      params.add(pick(EXTRA));
    }
    java.util.Collections.shuffle(params, random);
    String request = method + " /kv/fuzz-" + random.nextInt(50) + "?" + String.join("&", params)
        + " HTTP/1.1\r\nHost: fuzz\r\nAuthorization: Bearer " + writeToken + "\r\n"
        + (method.equals("PUT") ? "Content-Length: 3\r\n\r\nabc" : "\r\n");
    return new Case("params", bytes(request), false, false);
  }

  /** Huge, repeated and ill-typed headers; every write also carries a bad parameter. */
  private Case badHeaders() {
    String header = switch (random.nextInt(9)) {
      case 0 -> "X-Big: " + "a".repeat(8_000 + random.nextInt(100_000)) + "\r\n";
      case 1 -> ("X-Rep: " + randomText(8) + "\r\n").repeat(100 + random.nextInt(2_000));
      case 2 -> "Content-Length: " + pick(new String[] {"abc", "-1", "1e3", "99999999999999999999", "3, 4"}) + "\r\n";
      case 3 -> "Content-Length: 3\r\nContent-Length: 4\r\n";
      case 4 -> "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n";
      case 5 -> "Transfer-Encoding: " + pick(new String[] {"gzip", "chunked, chunked", "identity", "x"}) + "\r\n";
      case 6 -> "Authorization: Bearer " + readToken + "\r\nAuthorization: Bearer " + writeToken + "\r\n";
      case 7 -> "Expect: " + pick(new String[] {"100-continue", "200-ok", ""}) + "\r\n";
      default -> "X-Context: " + randomText(random.nextInt(20_000)) + "\r\n";
    };
    String request = "PUT /kv/fuzz-h?" + pick(POISON) + " HTTP/1.1\r\nHost: fuzz\r\nAuthorization: Bearer "
        + writeToken + "\r\n" + header + "\r\nabc";
    return new Case("headers", bytes(request), true, false);
  }

  /** Bodies over the limit (with and without Content-Length), bad chunking, truncated bodies. */
  private Case badBody() {
    // Netty reads chunked bodies leniently (it skips to the end of a line after a chunk), so every
    // body case also carries a bad parameter: whatever the body parser makes of it, nothing is written.
    String head = "PUT /kv/fuzz-b-" + random.nextInt(50) + "?" + pick(POISON)
        + " HTTP/1.1\r\nHost: fuzz\r\nAuthorization: Bearer "
        + writeToken + "\r\n";
    int over = maxValueBytes + 1 + random.nextInt(3 * maxValueBytes);
    return switch (random.nextInt(6)) {
      case 0 -> new Case("body", bytes(head + "Content-Length: " + over + "\r\n\r\n" + "x".repeat(over)), false, false);
      case 1 -> new Case("body", bytes(head + "Transfer-Encoding: chunked\r\n\r\n" + chunks(over) + "0\r\n\r\n"),
          false, false);
      case 2 -> new Case("body", bytes(head + "Content-Length: 100\r\n\r\n" + "x".repeat(random.nextInt(99))),
          true, false);
      case 3 -> new Case("body", bytes(head + "Transfer-Encoding: chunked\r\n\r\n" + chunks(random.nextInt(50) + 1)),
          true, false);
      case 4 -> new Case("body", bytes(head + "Transfer-Encoding: chunked\r\n\r\n"
          + pick(new String[] {"zz\r\nabc\r\n0\r\n\r\n", "5\r\nab\r\n0\r\n\r\n", "-1\r\n\r\n",
              "ffffffffffffffff\r\nx\r\n"})), true, false);
      default -> new Case("body", bytes(head + "Content-Length: " + over + "\r\n\r\n" + "x".repeat(10)), true, false);
    };
  }

  /** Contexts that do not decode (random, truncated, altered), and another key's context next to a bad parameter. */
  private Case badContext() {
    String context = switch (random.nextInt(4)) {
      case 0 -> randomBase64(random.nextInt(64));
      case 1 -> foreignContext.substring(0, random.nextInt(foreignContext.length()));
      case 2 -> alterOneChar(foreignContext);
      default -> foreignContext;
    };
    boolean decodes = decodes(context);
    String method = random.nextBoolean() ? "PUT" : "DELETE";
    String query = decodes ? "?" + pick(POISON) : random.nextBoolean() ? "?w=1" : "";
    String request = method + " /kv/fuzz-c-" + random.nextInt(50) + query + " HTTP/1.1\r\nHost: fuzz\r\n"
        + "Authorization: Bearer " + writeToken + "\r\nX-Context: " + context + "\r\n"
        + (method.equals("PUT") ? "Content-Length: 2\r\n\r\nhi" : "\r\n");
    return new Case("context", bytes(request), false, false);
  }

  /** Random bytes, broken request lines, long URIs, HTTP versions that do not exist. */
  private Case garbage() {
    byte[] bytes;
    switch (random.nextInt(5)) {
      case 0 -> {
        bytes = new byte[1 + random.nextInt(2_000)];
        random.nextBytes(bytes);
      }
      case 1 -> bytes = bytes("GET /kv/" + "a".repeat(5_000 + random.nextInt(20_000)) + " HTTP/1.1\r\nHost: f\r\n\r\n");
      case 2 -> bytes = bytes(pick(new String[] {"GET /kv/a HTTP/9.9", "GET /kv/a", "GET", "\r\n\r\n", "GET  HTTP/1.1",
          "GET http://evil/kv/a HTTP/1.1", "OPTIONS * HTTP/1.1", "GET /kv/a HTTP/1.1\nHost: x\n", "GET /kv/\u0000 HTTP/1.1"})
          + "\r\nAuthorization: Bearer " + writeToken + "\r\n\r\n");
      case 3 -> bytes = bytes("GET /kv/a HTTP/1.1\r\n" + randomText(200) + "\r\n\r\n");
      default -> bytes = bytes("PUT /kv/a HTTP/1.1\r\nHost: f\r\n" + "X: " + randomText(100) + "\r\n : nameless\r\n\r\n");
    }
    return new Case("garbage", bytes, true, false);
  }

  private String chunks(int total) {
    StringBuilder out = new StringBuilder();
    while (total > 0) {
      int n = Math.min(total, 1 + random.nextInt(8_192));
      out.append(Integer.toHexString(n)).append("\r\n").append("y".repeat(n)).append("\r\n");
      total -= n;
    }
    return out.toString();
  }

  private String alterOneChar(String token) {
    char[] chars = token.toCharArray();
    int at = random.nextInt(chars.length);
    chars[at] = chars[at] == 'A' ? 'B' : 'A';
    return new String(chars);
  }

  static boolean decodes(String context) {
    try {
      CausalContextCodec.decode(context);
      return true;
    } catch (InvalidContextException | RuntimeException e) {
      return false;
    }
  }

  private String randomBase64(int length) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < length; i++) {
      out.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return out.toString();
  }

  /** Printable ASCII plus a few characters that break parsers; never CR or LF. */
  private String randomText(int length) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < length; i++) {
      out.append(random.nextInt(10) == 0 ? pick(new String[] {"%", "\u0000", "\u007f", "\"", "{", "\u00e9", ":"})
          : String.valueOf((char) (0x21 + random.nextInt(0x5e))));
    }
    return out.toString();
  }

  private String pick(String[] options) {
    return options[random.nextInt(options.length)];
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
