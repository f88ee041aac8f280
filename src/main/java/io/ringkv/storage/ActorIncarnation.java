package io.ringkv.storage;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;

/**
 * The actor name under which this node creates dots, renewed whenever the node may have lost a dot
 * it made: after an unclean shutdown ({@code kill -9}, a machine crash) and after a failed write of
 * versions it may already have sent to other replicas.
 *
 * <p><b>Why.</b> A version's clock {@code {a: c}} claims every dot {@code (a, c' <= c)} of its key.
 * That is exact only if actor {@code a} held all its earlier dots of the key when it made
 * {@code c}. A node that lost {@code (a, c1)} while other replicas hold it would later hand out
 * {@code {a: c3}}, and a client writing with that context would silently supersede {@code c1}, a
 * write it never saw. Under a fresh actor name the old name's entries in a context come only from
 * versions clients really saw. Incarnation 0 is the node ID itself; later ones are
 * {@code <nodeId>~<k>} ({@code ~} cannot occur in a node ID). A node gains one actor per crash,
 * not per restart: a clean shutdown keeps the name.
 *
 * <p><b>Layout.</b> Meta key {@code actor-incarnation} holds k (8 bytes, big-endian); meta key
 * {@code running} exists while a process has the store open. Both are written with a synced write
 * before the name they imply is used. Not thread-safe: one owner (the thread that makes dots).
 */
public final class ActorIncarnation {
  private static final byte[] INCARNATION = KeyLayout.metaKey("actor-incarnation");
  private static final byte[] RUNNING = KeyLayout.metaKey("running");

  private final StorageEngine engine;
  private final String nodeId;
  private final boolean previousShutdownClean;
  private final boolean isNew;
  private volatile long incarnation;

  /** Opens the store's actor: a new incarnation if the last process did not shut down cleanly. */
  public ActorIncarnation(StorageEngine engine, String nodeId) {
    this.engine = Objects.requireNonNull(engine, "engine");
    this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
    byte[] storedBytes = engine.get(INCARNATION);
    isNew = storedBytes == null;
    long stored = decode(storedBytes);
    previousShutdownClean = engine.get(RUNNING) == null;
    long current = previousShutdownClean ? stored : stored + 1;
    engine.write(List.of(Mutation.put(INCARNATION, encode(current)), Mutation.put(RUNNING, new byte[] {1})), true);
    incarnation = current;
  }

  public static String actorName(String nodeId, long incarnation) {
    return incarnation == 0 ? nodeId : nodeId + "~" + incarnation;
  }

  /** The name to put in new dots. */
  public String actor() {
    return actorName(nodeId, incarnation);
  }

  public long incarnation() {
    return incarnation;
  }

  /** Whether the process before this one closed the store cleanly (or there was none). */
  public boolean previousShutdownClean() {
    return previousShutdownClean;
  }

  /** Moves to the next actor name; it is stored (synced) before it is returned. */
  public String renew() {
    return renewTo(incarnation + 1);
  }

  /** Moves to incarnation {@code next} (above the current one); stored (synced) before it is returned. */
  public String renewTo(long next) {
    if (next <= incarnation) {
      throw new IllegalArgumentException("incarnation " + next + " is not above " + incarnation);
    }
    engine.write(List.of(Mutation.put(INCARNATION, encode(next))), true);
    incarnation = next;
    return actor();
  }

  /** Whether the store held no actor yet when this process opened it (a new or wiped data dir). */
  public boolean isNew() {
    return isNew;
  }

  /** Records a clean shutdown. Call only once every dot made so far is durably stored. */
  public void markClean() {
    engine.write(List.of(Mutation.delete(RUNNING)), true);
  }

  private static long decode(byte[] stored) {
    if (stored == null) {
      return 0;
    }
    if (stored.length != Long.BYTES) {
      throw new IllegalArgumentException("actor incarnation holds " + stored.length + " bytes, expected 8");
    }
    return ByteBuffer.wrap(stored).getLong();
  }

  private static byte[] encode(long value) {
    return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
  }
}
