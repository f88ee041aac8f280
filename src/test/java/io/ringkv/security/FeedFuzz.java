package io.ringkv.security;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Bad client traffic on the change feed, over raw sockets after a real handshake: random bytes,
 * frames with random, huge, binary and ill-typed payloads, oversized control frames, unmasked and
 * reserved frames, fragments past the message limit, and floods of messages. Reports whether the
 * server answered with error frames or closed, and never waits longer than its timeout.
 */
final class FeedFuzz {
  enum Outcome { ERROR_FRAMES, CLOSED, QUIET }

  private final Random random;
  private final int port;
  private final String readToken;

  FeedFuzz(long seed, int port, String readToken) {
    this.random = new Random(seed);
    this.port = port;
    this.readToken = readToken;
  }

  /** One connection with one kind of bad traffic; {@code kind} picks it (0..8). */
  Outcome run(int kind) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      boolean headerAuth = random.nextBoolean();
      out.write(("GET /feed HTTP/1.1\r\nHost: fuzz\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
          + (headerAuth ? "Authorization: Bearer " + readToken + "\r\n" : "") + "\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      InputStream in = socket.getInputStream();
      String head = readHead(in);
      if (!head.startsWith("HTTP/1.1 101")) {
        throw new IllegalStateException("the feed refused the handshake: " + head);
      }
      if (!headerAuth && random.nextInt(3) > 0) {
        out.write(frame(0x1, utf8("{\"op\":\"auth\",\"token\":\"" + readToken + "\"}"), true, true));
      }
      try {
        send(out, kind);
      } catch (IOException e) {
        return Outcome.CLOSED; // the server closed while we were still sending (a protocol error)
      }
      return observe(in);
    }
  }

  private void send(OutputStream out, int kind) throws IOException {
    switch (kind) {
      case 0 -> out.write(randomBytes(1 + random.nextInt(4_000)));
      case 1 -> out.write(frame(0x1, randomBytes(random.nextInt(3_000)), true, true));
      case 2 -> out.write(frame(0x1, utf8(pick(new String[] {"[]", "42", "null", "\"subscribe\"",
          "{\"type\":1}", "{\"type\":\"subscribe\",\"keys\":\"a\"}", "{\"type\":\"subscribe\",\"keys\":[1,2]}",
          "{\"type\":\"subscribe\",\"prefix\":{}}", "{\"type\":\"unsubscribe\"}", "{\"type\":\"x\"}",
          "{\"op\":\"auth\",\"token\":[]}", "{\"type\":\"subscribe\",\"prefix\":\"\"} trailing", "{"})), true, true));
      case 3 -> out.write(frame(0x2, randomBytes(random.nextInt(1_000)), true, true));
      case 4 -> out.write(hugeLengthHeader());
      case 5 -> out.write(frame(0x9, randomBytes(126 + random.nextInt(200)), true, true)); // ping > 125 bytes
      case 6 -> out.write(frame(0x3 + random.nextInt(5), randomBytes(10), true, random.nextBoolean())); // reserved
      case 7 -> {
        byte[] piece = utf8("{\"type\":\"subscribe\",\"keys\":[\"" + "k".repeat(60_000));
        for (int i = 0; i < 20; i++) {
          out.write(frame(i == 0 ? 0x1 : 0x0, piece, false, true)); // a message past the limit, never finished
        }
      }
      default -> {
        ByteArrayOutputStream flood = new ByteArrayOutputStream();
        for (int i = 0; i < 2_000; i++) {
          flood.write(frame(0x1, utf8(random.nextBoolean() ? "{\"type\":\"subscribe\",\"keys\":[\"f" + i + "\"]}"
              : "not json " + i), true, true));
        }
        out.write(flood.toByteArray());
      }
    }
    out.flush();
  }

  private Outcome observe(InputStream in) throws IOException {
    byte[] buf = new byte[65_536];
    boolean sawError = false;
    long deadline = System.nanoTime() + 4_000_000_000L;
    try {
      while (System.nanoTime() < deadline) {
        int n = in.read(buf);
        if (n < 0) {
          return Outcome.CLOSED;
        }
        sawError |= new String(buf, 0, n, StandardCharsets.ISO_8859_1).contains("\"error\"");
        if (sawError) {
          return Outcome.ERROR_FRAMES;
        }
      }
    } catch (SocketTimeoutException e) {
      return sawError ? Outcome.ERROR_FRAMES : Outcome.QUIET;
    } catch (java.net.SocketException e) {
      return Outcome.CLOSED;
    }
    return sawError ? Outcome.ERROR_FRAMES : Outcome.QUIET;
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.write(b);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  /** A frame as a client sends it (masked unless {@code masked} is false, which servers must refuse). */
  private byte[] frame(int opcode, byte[] payload, boolean fin, boolean masked) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write((fin ? 0x80 : 0) | opcode);
    int n = payload.length;
    int maskBit = masked ? 0x80 : 0;
    if (n <= 125) {
      out.write(maskBit | n);
    } else if (n <= 0xFFFF) {
      out.write(maskBit | 126);
      out.write(n >>> 8);
      out.write(n);
    } else {
      out.write(maskBit | 127);
      for (int i = 7; i >= 0; i--) {
        out.write((int) ((long) n >>> (8 * i)));
      }
    }
    byte[] mask = randomBytes(4);
    if (masked) {
      out.write(mask, 0, 4);
    }
    for (int i = 0; i < n; i++) {
      out.write(masked ? payload[i] ^ mask[i % 4] : payload[i]);
    }
    return out.toByteArray();
  }

  /** A text frame header announcing 2^62 bytes, then a little of it. */
  private byte[] hugeLengthHeader() {
    byte[] header = {(byte) 0x81, (byte) (0x80 | 127), 0x40, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4};
    byte[] out = new byte[header.length + 100];
    System.arraycopy(header, 0, out, 0, header.length);
    return out;
  }

  private byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    random.nextBytes(bytes);
    return bytes;
  }

  private String pick(String[] options) {
    return options[random.nextInt(options.length)];
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
