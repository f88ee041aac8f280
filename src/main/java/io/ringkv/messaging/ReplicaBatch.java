package io.ringkv.messaging;

import java.util.ArrayList;
import java.util.List;

/**
 * Several {@link ReplicaRequest}s for one node in one event-bus message: what a coordinator's
 * event-loop turn produced for that node (typically the replication of a whole group commit).
 * One message instead of many saves a system call and the event-bus routing per request.
 */
public record ReplicaBatch(List<ReplicaRequest> requests) {

  public ReplicaBatch {
    requests = List.copyOf(requests);
  }

  public static byte[] encode(ReplicaBatch m) {
    List<byte[]> parts = new ArrayList<>(m.requests.size());
    int size = 8;
    for (ReplicaRequest r : m.requests) {
      byte[] part = ReplicaRequest.encode(r);
      parts.add(part);
      size += part.length + 5;
    }
    Wire.Writer out = new Wire.Writer(size).i32(parts.size());
    parts.forEach(out::bytes);
    return out.toByteArray();
  }

  public static ReplicaBatch decode(byte[] data) {
    Wire.Reader in = new Wire.Reader(data);
    int count = in.count();
    List<ReplicaRequest> requests = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      byte[] part = in.bytes();
      if (part == null) {
        throw new IllegalArgumentException("corrupt message: missing request " + i + " of a replica batch");
      }
      requests.add(ReplicaRequest.decode(part));
    }
    in.expectEnd();
    return new ReplicaBatch(requests);
  }
}
