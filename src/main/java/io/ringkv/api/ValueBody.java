package io.ringkv.api;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;

/**
 * Reads a PUT's body as the value: opaque bytes up to a limit, whatever the content type and
 * however the body is framed. Vert.x's {@code BodyHandler} is not used for values because it
 * decodes {@code application/x-www-form-urlencoded} and {@code multipart/form-data} bodies as form
 * fields: it merged them into the query parameters, dropped multipart bodies, refused form
 * attributes over the HTTP server's 8 KiB attribute limit with a 400, and answered an oversize
 * chunked form body with that 400 instead of a 413.
 */
final class ValueBody {
  /** A body over the limit: declared by its Content-Length, or found while reading it. */
  static final class TooLargeException extends RuntimeException {
    private final boolean bodyWithheld;

    TooLargeException(boolean bodyWithheld) {
      super("value too large", null, false, false);
      this.bodyWithheld = bodyWithheld;
    }

    /**
     * The client waits for a 100 Continue that never came, so it will not send the body: the
     * connection is then closed after the answer (RFC 9110, 10.1.1) rather than left waiting for
     * a body that nobody sends.
     */
    boolean bodyWithheld() {
      return bodyWithheld;
    }
  }

  /** An {@code Expect} header other than {@code 100-continue}. */
  static final class UnmetExpectationException extends RuntimeException {
    UnmetExpectationException(String expectation) {
      super("Expect: " + expectation + " is not supported (only 100-continue)", null, false, false);
    }
  }

  private static final int MAX_PREALLOCATED_BYTES = 64 * 1024;

  private ValueBody() {}

  /**
   * The whole body, or a failure with {@link TooLargeException} as soon as it is known to exceed
   * {@code limit} bytes. Must be called before the request's first body chunk is handled (as the
   * route's first handler). After a refusal the rest of the body is read and dropped, so the
   * connection stays usable for the next request.
   */
  static Future<Buffer> read(HttpServerRequest request, int limit) {
    if (request.isEnded()) {
      return Future.failedFuture(new IllegalStateException("the request body was consumed before the value was read"));
    }
    long declared = declaredLength(request);
    boolean chunked = request.version() == HttpVersion.HTTP_2 || request.headers().contains(HttpHeaders.TRANSFER_ENCODING);
    if (declared < 0 && !chunked) {
      return Future.succeededFuture(Buffer.buffer(0)); // HTTP/1.1: no framing header, no body
    }
    Promise<Buffer> result = Promise.promise();
    String expect = request.getHeader(HttpHeaders.EXPECT);
    boolean expectsContinue = expect != null && expect.equalsIgnoreCase("100-continue")
        && request.version() != HttpVersion.HTTP_1_0;
    if (declared > limit) {
      result.fail(new TooLargeException(expectsContinue)); // and no 100 Continue
    } else {
      if (expect != null && !expect.equalsIgnoreCase("100-continue")) {
        result.fail(new UnmetExpectationException(expect));
      } else if (expectsContinue) {
        request.response().writeContinue();
      }
    }
    long expected = result.future().failed() ? 0 : declared < 0 ? 1024 : declared;
    Buffer body = Buffer.buffer((int) Math.min(expected, Math.min(limit, MAX_PREALLOCATED_BYTES)));
    request.handler(chunk -> {
      if (result.future().isComplete()) {
        return; // refused already: drop the rest
      }
      if ((long) body.length() + chunk.length() > limit) {
        result.fail(new TooLargeException(false));
      } else {
        body.appendBuffer(chunk);
      }
    });
    request.endHandler(v -> result.tryComplete(body));
    request.exceptionHandler(result::tryFail);
    request.resume();
    return result.future();
  }

  private static long declaredLength(HttpServerRequest request) {
    String header = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (header == null || header.isEmpty()) {
      return -1;
    }
    try {
      return Math.max(-1, Long.parseLong(header.trim()));
    } catch (NumberFormatException e) {
      return -1; // the HTTP codec refuses such requests before they get here
    }
  }
}
