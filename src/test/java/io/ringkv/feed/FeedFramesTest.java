package io.ringkv.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Pre-encoded event frames must be what a real WebSocket decoder reads back, at every length encoding. */
class FeedFramesTest {

  @Test
  void textFramesDecodeToTheSameTextAtEveryLengthEncoding() {
    // 7-bit, 16-bit and 64-bit payload lengths and their edges; multi-byte characters count in bytes.
    for (int bytes : new int[] {0, 1, 125, 126, 127, 65_535, 65_536, 200_000}) {
      String text = textOfUtf8Length(bytes);
      byte[] frame = FeedFrames.textFrame(text);
      EmbeddedChannel client = new EmbeddedChannel(new WebSocket13FrameDecoder(false, true, 1 << 20));
      client.writeInbound(Unpooled.wrappedBuffer(frame));
      TextWebSocketFrame decoded = client.readInbound();
      try {
        assertTrue(decoded.isFinalFragment(), "final frame at " + bytes);
        assertEquals(text, decoded.text(), "payload at " + bytes + " bytes");
      } finally {
        decoded.release();
        client.finishAndReleaseAll();
      }
    }
  }

  private static String textOfUtf8Length(int bytes) {
    StringBuilder sb = new StringBuilder();
    while (sb.toString().getBytes(StandardCharsets.UTF_8).length + 3 <= bytes && sb.length() < 10) {
      sb.append('é').append('x'); // 3 bytes
    }
    int used = sb.toString().getBytes(StandardCharsets.UTF_8).length;
    sb.append("y".repeat(bytes - used));
    assertEquals(bytes, sb.toString().getBytes(StandardCharsets.UTF_8).length);
    return sb.toString();
  }
}
