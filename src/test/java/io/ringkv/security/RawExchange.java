package io.ringkv.security;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * Sends raw bytes on a new connection and reads the first final HTTP answer (skipping
 * {@code 100 Continue}), or notes that the server closed without one, or that it did neither in
 * time (a hang).
 */
final class RawExchange {
  enum Kind { ANSWERED, CLOSED, HUNG }

  record Result(Kind kind, int status, String head, String body) {
    @Override
    public String toString() {
      return kind + " " + status + " " + head.lines().findFirst().orElse("") + " " + body;
    }
  }

  private RawExchange() {}

  static Result send(int port, byte[] request, boolean halfClose, boolean headRequest, int timeoutMs) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(timeoutMs);
      try {
        OutputStream out = socket.getOutputStream();
        out.write(request);
        out.flush();
        if (halfClose) {
          socket.shutdownOutput();
        }
      } catch (IOException e) {
        // The server may answer and close before it read everything (431, 413): read what it said.
      }
      return read(socket.getInputStream(), headRequest);
    }
  }

  private static Result read(InputStream in, boolean headRequest) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] buf = new byte[16_384];
    try {
      while (true) {
        int n;
        try {
          n = in.read(buf);
        } catch (java.net.SocketException reset) {
          n = -1; // reset by the server after it answered or refused
        }
        if (n < 0) {
          return parse(all.toString(StandardCharsets.ISO_8859_1), true, headRequest);
        }
        all.write(buf, 0, n);
        Result r = parse(all.toString(StandardCharsets.ISO_8859_1), false, headRequest);
        if (r != null) {
          return r;
        }
      }
    } catch (SocketTimeoutException e) {
      Result r = parse(all.toString(StandardCharsets.ISO_8859_1), true, headRequest);
      return r.kind() == Kind.ANSWERED ? r : new Result(Kind.HUNG, 0, all.toString(StandardCharsets.ISO_8859_1), "");
    }
  }

  /** The answer once complete; null while more is needed (unless {@code ended}). */
  private static Result parse(String text, boolean ended, boolean headRequest) {
    while (text.startsWith("HTTP/1.1 100")) {
      int end = text.indexOf("\r\n\r\n");
      if (end < 0) {
        break;
      }
      text = text.substring(end + 4);
    }
    int headEnd = text.indexOf("\r\n\r\n");
    if (headEnd < 0 || text.startsWith("HTTP/1.1 100")) {
      return ended ? new Result(Kind.CLOSED, 0, text, "") : null;
    }
    String head = text.substring(0, headEnd);
    int status = Integer.parseInt(head.substring(9, 12));
    String body = text.substring(headEnd + 4);
    int length = contentLength(head);
    if (headRequest || length == 0) {
      return new Result(Kind.ANSWERED, status, head, "");
    }
    if (length > 0 && body.length() >= length) {
      return new Result(Kind.ANSWERED, status, head, new String(body.substring(0, length)
          .getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
    }
    return ended ? new Result(Kind.ANSWERED, status, head, body) : null;
  }

  private static int contentLength(String head) {
    for (String line : head.split("\r\n")) {
      if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
        return Integer.parseInt(line.substring(15).trim());
      }
    }
    return -1;
  }
}
