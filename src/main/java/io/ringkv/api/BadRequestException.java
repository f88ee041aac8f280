package io.ringkv.api;

/** A client mistake found while validating a request; the message is shown to the client. */
public final class BadRequestException extends RuntimeException {
  public BadRequestException(String message) {
    super(message, null, false, false);
  }
}
