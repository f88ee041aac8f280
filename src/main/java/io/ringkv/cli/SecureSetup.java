package io.ringkv.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * What {@code ringkv dev --secure} and {@code ringkv chaos --secure} give a local cluster: a token
 * file with one admin token and, with TLS, a throw-away CA and node certificate
 * ({@link DevCertificates}) for HTTPS, the feed and the event bus between nodes.
 *
 * @param nodeFlags the flags every node gets
 * @param adminToken the token the tools (and the user) send
 * @param ca the CA certificate to trust, or null without TLS
 */
record SecureSetup(Map<String, String> nodeFlags, String adminToken, Path ca) {

  /**
   * @param token the admin token to use, or null to generate one
   * @param tls also make certificates and turn on HTTPS and cluster TLS
   */
  static SecureSetup create(Path dir, String token, boolean tls) throws IOException {
    Files.createDirectories(dir);
    String admin = token != null && !token.isBlank() ? token.trim() : HexFormat.of().formatHex(randomBytes(24));
    Path tokens = dir.resolve("tokens.json");
    Files.deleteIfExists(tokens);
    Files.createFile(tokens, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(tokens, "{\"tokens\": [{\"token\": \"" + admin + "\", \"roles\": [\"admin\"]}]}\n");
    Map<String, String> flags = new LinkedHashMap<>();
    flags.put("auth-tokens", tokens.toString());
    Path ca = null;
    if (tls) {
      DevCertificates.Issued certs = DevCertificates.create(dir.resolve("tls"), "ringkv-dev-ca");
      flags.put("tls-cert", certs.cert().toString());
      flags.put("tls-key", certs.key().toString());
      flags.put("tls-ca", certs.ca().toString());
      flags.put("cluster-tls", "true");
      ca = certs.ca();
    }
    return new SecureSetup(flags, admin, ca);
  }

  String scheme() {
    return ca == null ? "http" : "https";
  }

  /** A TLS context that trusts exactly the CA, or null without TLS. */
  SSLContext sslContext() {
    return ca == null ? null : trusting(ca);
  }

  static SSLContext trusting(Path caPem) {
    try (InputStream in = Files.newInputStream(caPem)) {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      int i = 0;
      for (var cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        trust.setCertificateEntry("ca" + i++, (X509Certificate) cert);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot trust " + caPem + ": " + e.getMessage(), e);
    }
  }

  private static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    new SecureRandom().nextBytes(bytes);
    return bytes;
  }

  @Override
  public String toString() {
    return "SecureSetup[" + nodeFlags.keySet() + "]"; // never the token
  }
}
