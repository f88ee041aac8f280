package io.ringkv.api;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;

/**
 * Guards each HTTP connection, in its Netty pipeline right after the HTTP decoder:
 * <ul>
 *   <li>a connection must complete a request's headers within {@code header-timeout-ms} of
 *       connecting or of its previous response (a slowloris client sending one byte a second, a
 *       connection opened and left idle), and a request body must not stall for that long between
 *       two pieces; else the connection is closed;</li>
 *   <li>a request head Netty could not decode (a garbled request line, a line or headers over the
 *       limits) is answered here with the API's JSON error (400, 414 or 431) and the connection is
 *       closed, instead of the plain-text answer Vert.x would give.</li>
 * </ul>
 * Requests in flight (pipelined, or waiting for a quorum) keep the deadline off; a WebSocket
 * upgrade removes the guard (the feed has its own rules).
 */
final class ConnectionGuard extends ChannelDuplexHandler {
  private final long timeoutMs;
  private ScheduledFuture<?> timer;
  /** Request heads read whose response has not been written to its end. */
  private int inFlight;
  private boolean readingBody;
  private boolean refused;

  ConnectionGuard(long timeoutMs) {
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
    if (refused) {
      ReferenceCountUtil.release(msg); // the connection is closing: nothing more reaches Vert.x
      return;
    }
    if (msg instanceof HttpRequest request && (request.decoderResult().isFailure() || !knownVersion(request))) {
      refuse(ctx, request.decoderResult());
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof HttpRequest) {
      inFlight++;
      readingBody = true;
    }
    if (msg instanceof LastHttpContent) {
      readingBody = false;
      disarm();
    } else if (msg instanceof HttpRequest || msg instanceof HttpContent) {
      arm(ctx); // the body must keep coming
    }
    super.channelRead(ctx, msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
    boolean upgrade = msg instanceof HttpResponse response
        && response.status().code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code();
    if (!upgrade && msg instanceof LastHttpContent && inFlight > 0 && --inFlight == 0 && !readingBody) {
      arm(ctx);
    }
    super.write(ctx, msg, promise);
    if (upgrade) {
      ctx.pipeline().remove(this);
    }
  }

  /** Vert.x answers other versions with a 501 of its own; here they are a client's error. */
  private static boolean knownVersion(HttpRequest request) {
    HttpVersion version = request.protocolVersion();
    return version.equals(HttpVersion.HTTP_1_1) || version.equals(HttpVersion.HTTP_1_0);
  }

  private void refuse(ChannelHandlerContext ctx, DecoderResult result) {
    refused = true;
    disarm();
    Throwable cause = result.cause();
    HttpResponseStatus status;
    String message;
    if (cause instanceof TooLongHttpLineException) {
      status = HttpResponseStatus.REQUEST_URI_TOO_LONG;
      message = "the request line is too long";
    } else if (cause instanceof TooLongHttpHeaderException || cause instanceof TooLongFrameException) {
      status = HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
      message = "the request headers are too large";
    } else if (result.isSuccess()) {
      status = HttpResponseStatus.BAD_REQUEST;
      message = "unsupported HTTP version: use HTTP/1.1";
    } else {
      status = HttpResponseStatus.BAD_REQUEST;
      message = "malformed HTTP request";
    }
    byte[] body = new JsonObject().put("error", status.code() == 400 ? "bad_request" : "too_large")
        .put("message", message).toBuffer().getBytes();
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json")
        .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
        .set(HttpHeaderNames.CONNECTION, "close");
    ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }

  private void arm(ChannelHandlerContext ctx) {
    disarm();
    timer = ctx.executor().schedule(() -> {
      if (inFlight == 0 || readingBody) {
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
