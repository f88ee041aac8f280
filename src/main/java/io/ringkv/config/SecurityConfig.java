package io.ringkv.config;

/**
 * The security settings of a node (API.md, "Security"; docs/security.md). Paths are as given (not
 * read here: the node reads the files when it starts, and the token file again on SIGHUP); empty
 * means not set.
 *
 * @param authTokens the token file; empty: no authentication (every request allowed)
 * @param tlsCert PEM certificate chain the node serves HTTP, the feed and (with clusterTls) the
 *     event bus with; empty: plain HTTP
 * @param tlsKey PEM private key of {@code tlsCert}
 * @param tlsCa PEM certificate(s) of the CA that signs every node's certificate (cluster TLS)
 * @param clusterTls encrypt the event bus between nodes and require peers to present a
 *     certificate signed by {@code tlsCa}
 * @param headerTimeoutMs a connection must complete a request's headers within this time of
 *     connecting or of its previous response, else it is closed (slow clients)
 */
public record SecurityConfig(String authTokens, String tlsCert, String tlsKey, String tlsCa, boolean clusterTls,
    long headerTimeoutMs) {

  /** nginx's client_header_timeout is 60 s; a store's clients are programs, which need far less. */
  public static final long DEFAULT_HEADER_TIMEOUT_MS = 10_000;
  public static final long MAX_HEADER_TIMEOUT_MS = 600_000;

  public SecurityConfig {
    authTokens = blankToEmpty(authTokens);
    tlsCert = blankToEmpty(tlsCert);
    tlsKey = blankToEmpty(tlsKey);
    tlsCa = blankToEmpty(tlsCa);
    require(tlsCert.isEmpty() == tlsKey.isEmpty(), "tls-cert and tls-key go together: give both or neither");
    require(!clusterTls || !tlsCert.isEmpty() && !tlsCa.isEmpty(),
        "cluster-tls true needs tls-cert and tls-key (this node's certificate) and tls-ca (the CA that signs"
            + " every node's certificate)");
    require(headerTimeoutMs >= 100 && headerTimeoutMs <= MAX_HEADER_TIMEOUT_MS,
        "header-timeout-ms must be 100.." + MAX_HEADER_TIMEOUT_MS + ", got " + headerTimeoutMs);
  }

  public static SecurityConfig off() {
    return new SecurityConfig("", "", "", "", false, DEFAULT_HEADER_TIMEOUT_MS);
  }

  public boolean tls() {
    return !tlsCert.isEmpty();
  }

  public boolean auth() {
    return !authTokens.isEmpty();
  }

  private static String blankToEmpty(String s) {
    return s == null ? "" : s.trim();
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new ConfigException(message);
    }
  }
}
