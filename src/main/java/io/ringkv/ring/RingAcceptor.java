package io.ringkv.ring;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * One node's part in agreeing on each next ring version: the acceptor of single-decree Paxos, one
 * instance per version ("slot"). It promises to ignore ballots below the highest one it saw and
 * accepts at most the value of the highest ballot it promised, so two proposers can never get a
 * majority for different rings of the same version: a later proposer learns any value a majority
 * may have accepted and must propose that one. Versions this node already holds are refused.
 *
 * <p>Pure state; the caller persists {@link #encode()} (synced) before it answers, so a restarted
 * node keeps its promises. Single-threaded.
 */
public final class RingAcceptor {
  /** What an acceptor says. {@code ok} false: refused, because of {@code promised} or {@code committed}. */
  public record Answer(boolean ok, Ballot promised, Ballot acceptedBallot, byte[] acceptedValue, long committed) {}

  private record Slot(Ballot promised, Ballot acceptedBallot, byte[] acceptedValue) {}

  private final Map<Long, Slot> slots = new TreeMap<>();
  private long committed;

  public RingAcceptor(long committedVersion) {
    this.committed = committedVersion;
  }

  public long committed() {
    return committed;
  }

  /** Phase 1: promise {@code ballot} for {@code slot}, and tell what was accepted there already. */
  public Answer prepare(long slot, Ballot ballot) {
    if (slot <= committed) {
      return refuse(slot);
    }
    Slot s = slots.getOrDefault(slot, new Slot(Ballot.ZERO, null, null));
    if (!ballot.isAfter(s.promised())) {
      return refuse(slot);
    }
    slots.put(slot, new Slot(ballot, s.acceptedBallot(), s.acceptedValue()));
    return new Answer(true, ballot, s.acceptedBallot(), s.acceptedValue(), committed);
  }

  /** Phase 2: accept {@code value} under {@code ballot} unless a higher ballot was promised. */
  public Answer accept(long slot, Ballot ballot, byte[] value) {
    if (slot <= committed) {
      return refuse(slot);
    }
    Slot s = slots.getOrDefault(slot, new Slot(Ballot.ZERO, null, null));
    if (s.promised().isAfter(ballot)) {
      return refuse(slot);
    }
    slots.put(slot, new Slot(ballot, ballot, value.clone()));
    return new Answer(true, ballot, ballot, value, committed);
  }

  /** This node now holds ring {@code version}: slots up to it are decided and forgotten. */
  public void committed(long version) {
    if (version > committed) {
      committed = version;
      slots.keySet().removeIf(slot -> slot <= version);
    }
  }

  private Answer refuse(long slot) {
    Slot s = slots.get(slot);
    return new Answer(false, s == null ? Ballot.ZERO : s.promised(), null, null, committed);
  }

  public byte[] encode() {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeLong(committed);
      out.writeInt(slots.size());
      for (Map.Entry<Long, Slot> e : slots.entrySet()) {
        out.writeLong(e.getKey());
        writeBallot(out, e.getValue().promised());
        out.writeBoolean(e.getValue().acceptedBallot() != null);
        if (e.getValue().acceptedBallot() != null) {
          writeBallot(out, e.getValue().acceptedBallot());
          out.writeInt(e.getValue().acceptedValue().length);
          out.write(e.getValue().acceptedValue());
        }
      }
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static RingAcceptor decode(byte[] data) {
    try {
      DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(data));
      RingAcceptor a = new RingAcceptor(in.readLong());
      int count = in.readInt();
      for (int i = 0; i < count; i++) {
        long slot = in.readLong();
        Ballot promised = readBallot(in);
        Ballot accepted = null;
        byte[] value = null;
        if (in.readBoolean()) {
          accepted = readBallot(in);
          value = in.readNBytes(in.readInt());
        }
        a.slots.put(slot, new Slot(promised, accepted, value));
      }
      return a;
    } catch (IOException e) {
      throw new IllegalArgumentException("corrupt acceptor state", e);
    }
  }

  private static void writeBallot(DataOutputStream out, Ballot b) throws IOException {
    out.writeLong(b.round());
    out.writeUTF(b.node());
  }

  private static Ballot readBallot(DataInputStream in) throws IOException {
    return new Ballot(in.readLong(), in.readUTF());
  }
}
