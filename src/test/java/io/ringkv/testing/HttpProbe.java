package io.ringkv.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import io.vertx.core.json.JsonObject;

/**
 * A blocking HTTP client for tests (runs on the test thread, never on an event loop), plus a raw
 * socket mode for requests that well-behaved clients refuse to send.
 */
public final class HttpProbe {
  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();

  private final String host;
  private final int port;

  public HttpProbe(int port) {
    this("127.0.0.1", port);
  }

  /** A node bound to another address, 127.0.0.2 say. */
  public HttpProbe(String host, int port) {
    this.host = host;
    this.port = port;
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  /** A response with its status, headers and body bytes. */
  public record Reply(int status, Map<String, java.util.List<String>> headers, byte[] body) {
    public String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0)).findFirst().orElse(null);
    }

    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    public JsonObject json() {
      return new JsonObject(text());
    }

    @Override
    public String toString() {
      return status + " " + text();
    }
  }

  public Reply get(String pathAndQuery, String... headers) {
    return send("GET", pathAndQuery, null, headers);
  }

  public Reply put(String pathAndQuery, byte[] body, String... headers) {
    return send("PUT", pathAndQuery, body, headers);
  }

  public Reply put(String pathAndQuery, String body, String... headers) {
    return put(pathAndQuery, body.getBytes(StandardCharsets.UTF_8), headers);
  }

  public Reply delete(String pathAndQuery, String... headers) {
    return send("DELETE", pathAndQuery, null, headers);
  }

  public Reply send(String method, String pathAndQuery, byte[] body, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + pathAndQuery))
        .timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    try {
      HttpResponse<byte[]> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Reply(r.statusCode(), r.headers().map(), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Sends bytes exactly as given (any request line) and returns status line + headers + body text. */
  public String raw(String request) {
    try (Socket socket = new Socket(host, port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      int n;
      while ((n = in.read(buf)) > 0) {
        all.write(buf, 0, n);
        String text = all.toString(StandardCharsets.UTF_8);
        int headerEnd = text.indexOf("\r\n\r\n");
        if (headerEnd >= 0 && complete(text, headerEnd)) {
          return text;
        }
      }
      return all.toString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean complete(String text, int headerEnd) {
    String lower = text.substring(0, headerEnd).toLowerCase();
    int at = lower.indexOf("content-length:");
    if (at < 0) {
      return true;
    }
    int end = lower.indexOf("\r\n", at);
    int length = Integer.parseInt(lower.substring(at + 15, end < 0 ? lower.length() : end).trim());
    return text.getBytes(StandardCharsets.UTF_8).length - headerEnd - 4 >= length;
  }
}
