package io.ringkv.version;

import java.util.Objects;

/**
 * Names one write uniquely: the replica (actor) that coordinated it and that replica's counter.
 *
 * <p>Actors are limited to {@value #MAX_ACTOR_BYTES} UTF-8 bytes so that every vector can be
 * encoded in a context token and a record without failing at encode time.
 */
public record Dot(String actor, long counter) {

    /** Longest actor name, in UTF-8 bytes (the token and record formats cap it there). */
    public static final int MAX_ACTOR_BYTES = 255;

    public Dot {
        validateActor(actor);
        if (counter < 1) {
            throw new IllegalArgumentException("dot counter must be >= 1, got " + counter);
        }
    }

    static void validateActor(String actor) {
        Objects.requireNonNull(actor, "actor");
        if (actor.isEmpty()) {
            throw new IllegalArgumentException("actor must not be empty");
        }
        // Fast path: a UTF-16 char never takes more than 3 UTF-8 bytes.
        if (actor.length() * 3 > MAX_ACTOR_BYTES && ByteWriter.utf8Length(actor) > MAX_ACTOR_BYTES) {
            throw new IllegalArgumentException("actor longer than " + MAX_ACTOR_BYTES + " UTF-8 bytes");
        }
    }
}
