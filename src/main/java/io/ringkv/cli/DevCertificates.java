package io.ringkv.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away certificate authority and one node certificate signed by it, made with the JDK's
 * {@code keytool} (no extra library): what {@code ringkv dev --secure} and the security tests use.
 * The node certificate is valid for {@code 127.0.0.1} and {@code localhost} and for both TLS server
 * and client use, so every local node can present it on HTTP and on the event bus. Files (PEM):
 * {@code ca.pem}, {@code node.pem} (the chain: node, then CA), {@code node.key} (PKCS#8, unencrypted).
 */
public final class DevCertificates {
  private static final String CA = "ca.pem";
  private static final String NODE_CERT = "node.pem";
  private static final String NODE_KEY = "node.key";

  /** The files written. */
  public record Issued(Path ca, Path cert, Path key) {}

  private DevCertificates() {}

  /** Writes a new CA and node certificate into {@code dir} (created if needed) and returns their paths. */
  public static Issued create(Path dir, String caName) throws IOException {
    Files.createDirectories(dir);
    String password = HexFormat.of().formatHex(new SecureRandom().generateSeed(12));
    Path caStore = dir.resolve("ca.p12");
    Path nodeStore = dir.resolve("node.p12");
    Path csr = dir.resolve("node.csr");
    Path signed = dir.resolve("node-only.pem");
    Files.deleteIfExists(caStore);
    Files.deleteIfExists(nodeStore);
    keytool("-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048", "-validity", "825",
        "-dname", "CN=" + caName, "-ext", "bc:c", "-keystore", caStore.toString(), "-storetype", "PKCS12",
        "-storepass", password, "-keypass", password);
    keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", caStore.toString(), "-storepass", password,
        "-file", dir.resolve(CA).toString());
    keytool("-genkeypair", "-alias", "node", "-keyalg", "RSA", "-keysize", "2048", "-validity", "825",
        "-dname", "CN=ringkv-node", "-keystore", nodeStore.toString(), "-storetype", "PKCS12",
        "-storepass", password, "-keypass", password);
    keytool("-certreq", "-alias", "node", "-keystore", nodeStore.toString(), "-storepass", password,
        "-file", csr.toString());
    keytool("-gencert", "-rfc", "-alias", "ca", "-keystore", caStore.toString(), "-storepass", password,
        "-infile", csr.toString(), "-outfile", signed.toString(), "-validity", "825",
        "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-ext", "KU=digitalSignature,keyEncipherment",
        "-ext", "EKU=serverAuth,clientAuth");
    Files.writeString(dir.resolve(NODE_CERT), Files.readString(signed) + Files.readString(dir.resolve(CA)));
    Files.writeString(dir.resolve(NODE_KEY), privateKeyPem(nodeStore, password));
    for (Path scratch : List.of(caStore, nodeStore, csr, signed)) {
      Files.deleteIfExists(scratch);
    }
    return new Issued(dir.resolve(CA), dir.resolve(NODE_CERT), dir.resolve(NODE_KEY));
  }

  private static String privateKeyPem(Path store, String password) throws IOException {
    try (InputStream in = Files.newInputStream(store)) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(in, password.toCharArray());
      Key key = ks.getKey("node", password.toCharArray());
      String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded());
      return "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n";
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot read the key keytool made: " + e.getMessage(), e);
    }
  }

  private static void keytool(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    command.add("-noprompt");
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        // keytool's output names the step; the arguments hold the store password, so they stay out.
        throw new IOException("keytool " + args[0] + " failed: " + output.trim());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while keytool ran", e);
    } finally {
      p.destroy();
    }
  }
}
