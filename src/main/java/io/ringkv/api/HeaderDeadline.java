package io.ringkv.api;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes an HTTP connection that does not complete a request's headers within
 * {@code header-timeout-ms} of connecting or of its last response (a slowloris client sending one
 * byte a second, or a connection opened and left idle). Sits in the channel's pipeline after
 * Netty's HTTP decoder, so it sees whole request heads. Requests in flight (pipelined or waiting
 * for a quorum) keep it disarmed; a WebSocket upgrade removes it (the feed has its own rules).
 */
final class HeaderDeadline extends ChannelDuplexHandler {
  private final long timeoutMs;
  private ScheduledFuture<?> timer;
  /** Request heads read whose response has not been written to its end. */
  private int inFlight;

  HeaderDeadline(long timeoutMs) {
    this.timeoutMs = timeoutMs;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    arm(ctx);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    disarm();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    disarm();
    super.channelInactive(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (msg instanceof HttpRequest) {
      inFlight++;
      disarm();
    }
    super.channelRead(ctx, msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
    boolean upgrade = msg instanceof HttpResponse response
        && response.status().code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code();
    if (!upgrade && msg instanceof LastHttpContent && inFlight > 0 && --inFlight == 0) {
      arm(ctx);
    }
    super.write(ctx, msg, promise);
    if (upgrade) {
      ctx.pipeline().remove(this);
    }
  }

  private void arm(ChannelHandlerContext ctx) {
    disarm();
    timer = ctx.executor().schedule(() -> {
      if (inFlight == 0) {
        ctx.channel().close();
      }
    }, timeoutMs, TimeUnit.MILLISECONDS);
  }

  private void disarm() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }
}
