package io.ringkv.netty;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A handler that takes a WebSocket over the way the change feed does: it answers text messages
 * with "echo " + the text, written as a ready-made frame straight to the channel (past the
 * WebSocket encoder, as the feed writes its events), echoes the closing handshake, and closes
 * with 1001 when Vert.x shuts down.
 */
final class EchoHandler extends ChannelInboundHandlerAdapter {
  final LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
  final CompletableFuture<Void> shutdownSeen = new CompletableFuture<>();
  final CompletableFuture<Void> inactive = new CompletableFuture<>();

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof TextWebSocketFrame text) {
        received.add(text.text());
        ctx.channel().writeAndFlush(Unpooled.wrappedBuffer(textFrame("echo " + text.text())));
      } else if (msg instanceof CloseWebSocketFrame close) {
        ctx.channel().writeAndFlush(new CloseWebSocketFrame(true, 0, close.content().retain()))
            .addListener(ChannelFutureListener.CLOSE);
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (VertxNetty.isShutdown(event)) {
      shutdownSeen.complete(null);
      ctx.channel().writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.ENDPOINT_UNAVAILABLE))
          .addListener(ChannelFutureListener.CLOSE);
    }
    ReferenceCountUtil.release(event);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    inactive.complete(null);
  }

  /** A whole unmasked text frame (server to client), for payloads under 126 bytes. */
  private static byte[] textFrame(String text) {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    byte[] frame = new byte[payload.length + 2];
    frame[0] = (byte) 0x81;
    frame[1] = (byte) payload.length;
    System.arraycopy(payload, 0, frame, 2, payload.length);
    return frame;
  }
}
