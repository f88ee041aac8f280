package io.ringkv.config;

/** A configuration problem; the message is one readable line meant for the operator. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
