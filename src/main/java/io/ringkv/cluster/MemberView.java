package io.ringkv.cluster;

/** One row of a node's membership view: the member, its status and when it was last heard of. */
public record MemberView(MemberInfo info, MemberStatus status, long lastHeardMs) {}
