package io.ringkv.messaging;

import io.ringkv.cluster.MemberInfo;
import java.util.ArrayList;
import java.util.List;

/** A membership digest as sent between nodes: every member record the sender knows. */
public record GossipDigest(String from, List<MemberInfo> members) {

  public GossipDigest {
    members = List.copyOf(members);
  }

  public static byte[] encode(GossipDigest d) {
    Wire.Writer out = new Wire.Writer(64 + d.members.size() * 64).string(d.from).i32(d.members.size());
    for (MemberInfo m : d.members) {
      out.string(m.id()).string(m.host()).i32(m.httpPort()).string(m.dc())
          .i64(m.joinedAtMs()).i64(m.generation()).i64(m.heartbeat()).i64(m.ringVersion()).i64(m.transfersDoneFor());
    }
    return out.toByteArray();
  }

  public static GossipDigest decode(byte[] data) {
    Wire.Reader in = new Wire.Reader(data);
    String from = in.string();
    int count = in.count();
    List<MemberInfo> members = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      members.add(new MemberInfo(in.string(), in.string(), in.i32(), in.string(), in.i64(), in.i64(), in.i64(),
          in.i64(), in.i64()));
    }
    in.expectEnd();
    return new GossipDigest(from, members);
  }
}
