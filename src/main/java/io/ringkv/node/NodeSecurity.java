package io.ringkv.node;

import io.ringkv.config.ConfigException;
import io.ringkv.config.SecurityConfig;
import io.ringkv.security.Authenticator;
import io.ringkv.security.TokenFile;
import io.ringkv.security.Tokens;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Logger;

/**
 * A node's tokens and its event bus TLS (docs/security.md). The token file is read when the node
 * starts (a bad one stops it with a one-line reason) and again on {@link #reload()} (SIGHUP), where
 * a bad file keeps the tokens in force. Nothing here ever logs a token.
 */
final class NodeSecurity {
  private static final Logger LOG = Logger.getLogger(NodeSecurity.class.getName());

  private final SecurityConfig config;
  private final Authenticator auth;

  private NodeSecurity(SecurityConfig config, Authenticator auth) {
    this.config = config;
    this.auth = auth;
  }

  /** Reads the token file, if any; call off the event loops. */
  static NodeSecurity open(SecurityConfig config) {
    if (!config.auth()) {
      return new NodeSecurity(config, Authenticator.disabled());
    }
    try {
      return new NodeSecurity(config, Authenticator.of(read(Path.of(config.authTokens()))));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("auth-tokens " + config.authTokens() + ": " + e.getMessage());
    } catch (IOException e) {
      throw new ConfigException("auth-tokens " + config.authTokens() + ": cannot read it ("
          + e.getClass().getSimpleName() + ")");
    }
  }

  Authenticator authenticator() {
    return auth;
  }

  /** Reads the token file again; on any error the tokens in force stay. Returns the new token count. */
  int reload() {
    if (!config.auth()) {
      return 0;
    }
    try {
      Tokens tokens = read(Path.of(config.authTokens()));
      auth.replace(tokens);
      LOG.info("auth tokens reloaded from " + config.authTokens() + ": " + tokens.size() + " tokens");
      return tokens.size();
    } catch (IllegalArgumentException | IOException e) {
      LOG.warning("auth tokens not reloaded from " + config.authTokens() + " (the previous " + auth.tokenCount()
          + " stay in force): " + (e instanceof IOException ? "cannot read it (" + e.getClass().getSimpleName() + ")"
              : e.getMessage()));
      return -1;
    }
  }

  private static Tokens read(Path file) throws IOException {
    if (Files.size(file) > 16L << 20) {
      throw new IllegalArgumentException("the token file is larger than 16 MiB");
    }
    return TokenFile.parse(Files.readString(file));
  }

  /**
   * The event bus between nodes: with {@code cluster-tls}, TLS both ways, this node's certificate
   * presented to every peer, and every peer's certificate required and checked against
   * {@code tls-ca} (a connection without one fails its handshake, so a node without a certificate
   * from that CA can neither send to the others nor receive from them).
   */
  static EventBusOptions eventBus(SecurityConfig config, EventBusOptions options) {
    if (!config.clusterTls()) {
      return options;
    }
    return options.setSsl(true)
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(config.tlsCert()).setKeyPath(config.tlsKey()))
        .setTrustOptions(new PemTrustOptions().addCertPath(config.tlsCa()))
        .setClientAuth(ClientAuth.REQUIRED)
        .setSslEngineOptions(OpenSSLEngineOptions.isAvailable() ? new OpenSSLEngineOptions() : new JdkSSLEngineOptions());
  }
}
