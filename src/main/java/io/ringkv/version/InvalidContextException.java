package io.ringkv.version;

/**
 * A causal context token that cannot be trusted (random, truncated, altered, or from an unknown
 * format version). The message never echoes the token and is safe to show to clients.
 */
public final class InvalidContextException extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidContextException(String message) {
        super(message);
    }
}
