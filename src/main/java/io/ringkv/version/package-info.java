/**
 * The pure causality core of ringkv: dotted version vectors (DVV), sibling sets, the causal
 * context token ({@code X-Context}), last-writer-wins resolution and the binary record codec.
 *
 * <p>Everything here is an immutable value with no I/O and no clock: callers pass timestamps in.
 * The model is Riak KV's DVV: every write gets a unique {@link io.ringkv.version.Dot} from its
 * coordinating replica, and carries as its {@code past} the causal context the client sent. A
 * version is superseded exactly when some other version's past covers its dot; anything else is a
 * concurrent sibling and is kept.
 */
package io.ringkv.version;
