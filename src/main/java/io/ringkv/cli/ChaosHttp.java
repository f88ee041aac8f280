package io.ringkv.cli;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Blocking HTTP/1.1 to the local nodes for the chaos driver's threads, with a time limit on every
 * request (a paused node never answers; its requests must end anyway).
 */
public final class ChaosHttp {
  private final HttpClient client;
  private final String host;
  private final String scheme;
  /** "Bearer TOKEN" on every request, or null. */
  private final String authorization;

  public ChaosHttp(String host, Duration connectTimeout) {
    this(host, connectTimeout, null, null);
  }

  /**
   * @param token sent as a bearer token with every request (null: none)
   * @param tls HTTPS with this context (null: plain HTTP)
   */
  public ChaosHttp(String host, Duration connectTimeout, String token, javax.net.ssl.SSLContext tls) {
    this.host = host;
    this.scheme = tls == null ? "http" : "https";
    this.authorization = token == null ? null : "Bearer " + token;
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(connectTimeout)
        .version(HttpClient.Version.HTTP_1_1);
    this.client = (tls == null ? builder : builder.sslContext(tls)).build();
  }

  /** A response: status, headers and body bytes. */
  public record Reply(int status, Map<String, List<String>> headers, byte[] body) {
    public String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0)).findFirst().orElse(null);
    }

    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /**
   * Sends one request and waits at most {@code timeout} for the whole answer.
   *
   * @param headers name, value, name, value...
   * @throws java.net.http.HttpTimeoutException when the time ran out
   * @throws IOException when the connection failed (refused, reset...)
   */
  public Reply send(String method, int port, String pathAndQuery, byte[] body, Duration timeout, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(scheme + "://" + host + ":" + port + pathAndQuery))
        .timeout(timeout)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    HttpResponse<byte[]> r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    return new Reply(r.statusCode(), r.headers().map(), r.body());
  }

  /** The key as a path segment: {@code /kv/} + this. */
  public static String encodeKey(String key) {
    return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
