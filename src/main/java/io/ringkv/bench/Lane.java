package io.ringkv.bench;

import io.netty.util.concurrent.ScheduledFuture;
import io.ringkv.netty.VertxNetty;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import java.net.ConnectException;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * A share of the connections, driven from ONE event loop. Everything a lane mutates (random
 * generator, stats, slot bookkeeping) is touched only on its context, so nothing is locked and the
 * histograms have a single writer. Each slot is one connection's worth of concurrency: one
 * request in flight at a time, pinned to one URL.
 */
final class Lane {

    private static final int DISTINCT_VALUES = 16;

    private final Context ctx;
    private final HttpClient client;
    private final List<Endpoint> slots;
    private final Protocol protocol;
    private final BenchConfig cfg;
    private final int index;
    private final int laneCount;
    private final SplittableRandom rnd;
    private final Buffer[] values = new Buffer[DISTINCT_VALUES];
    private final String[] valuesB64 = new String[DISTINCT_VALUES];

    Lane(Context ctx, HttpClient client, List<Endpoint> slots, Protocol protocol, BenchConfig cfg,
         int index, int laneCount) {
        this.ctx = ctx;
        this.client = client;
        this.slots = List.copyOf(slots);
        this.protocol = protocol;
        this.cfg = cfg;
        this.index = index;
        this.laneCount = laneCount;
        this.rnd = new SplittableRandom(cfg.seed() * 31 + index);
        // A few pre-generated random values: realistic bytes without allocating per request.
        for (int i = 0; i < DISTINCT_VALUES; i++) {
            byte[] bytes = new byte[cfg.valueBytes()];
            rnd.nextBytes(bytes);
            values[i] = Buffer.buffer(bytes);
            valuesB64[i] = Base64.getEncoder().encodeToString(bytes);
        }
    }

    HttpClient client() {
        return client;
    }

    /** Writes the keys of this lane (index, index + laneCount, ...) once each. */
    Future<LatencyStats> prefill() {
        int[] next = {index};
        return closedLoop(ep -> {
            if (next[0] >= cfg.keys()) {
                return null;
            }
            int key = next[0];
            next[0] += laneCount;
            return writeOp(ep, key);
        });
    }

    /** Closed loop: every slot sends its next request as soon as the previous one answered. */
    Future<LatencyStats> closed(long endNanos) {
        return closedLoop(ep -> System.nanoTime() < endNanos ? randomOp(ep) : null);
    }

    /**
     * Open loop over a schedule shared by all lanes: global request g is due at
     * start + g * period, and this lane owns g = index, index + laneCount, ... Latency is measured
     * from the due time, not the send time, so waiting for a busy connection counts (coordinated
     * omission correction).
     */
    Future<LatencyStats> open(long startNanos, long endNanos, double periodNanos) {
        Promise<LatencyStats> done = Promise.promise();
        ctx.runOnContext(v -> new OpenRun(startNanos, endNanos, periodNanos, done).begin());
        return done.future();
    }

    private Future<LatencyStats> closedLoop(Function<Endpoint, Protocol.Op> next) {
        Promise<LatencyStats> done = Promise.promise();
        LatencyStats stats = new LatencyStats();
        ctx.runOnContext(v -> {
            int[] active = {slots.size()};
            Runnable slotFinished = () -> {
                if (--active[0] == 0) {
                    done.complete(stats);
                }
            };
            for (Endpoint ep : slots) {
                loop(ep, next, stats, slotFinished);
            }
        });
        return done.future();
    }

    private void loop(Endpoint ep, Function<Endpoint, Protocol.Op> next, LatencyStats stats, Runnable finished) {
        Protocol.Op op = next.apply(ep);
        if (op == null) {
            finished.run();
            return;
        }
        long start = System.nanoTime();
        send(op).onComplete((status, err) -> {
            account(op, start, status, err, stats);
            if (err == null) {
                loop(ep, next, stats, finished);
            } else {
                // A failure can complete synchronously (e.g. pool closed); hop through the context
                // so a run of failures cannot grow the stack.
                ctx.runOnContext(x -> loop(ep, next, stats, finished));
            }
        });
    }

    private Protocol.Op randomOp(Endpoint ep) {
        int key = rnd.nextInt(cfg.keys());
        // "< readRatio" keeps 0.0 write-only and 1.0 read-only exactly.
        if (rnd.nextDouble() < cfg.readRatio()) {
            return protocol.read(ep, key);
        }
        return writeOp(ep, key);
    }

    private Protocol.Op writeOp(Endpoint ep, int key) {
        int v = rnd.nextInt(DISTINCT_VALUES);
        return protocol.write(ep, key, values[v], valuesB64[v]);
    }

    /** Sends and reads the whole body (so the connection goes back to the pool); yields the status. */
    private Future<Integer> send(Protocol.Op op) {
        return client.request(op.options())
                .compose((HttpClientRequest req) -> op.body() == null ? req.send() : req.send(op.body()))
                .compose(resp -> {
                    protocol.remember(op, resp.getHeader("X-Context"));
                    return resp.body().map(body -> resp.statusCode());
                });
    }

    /** Times every answer, errors included: a fast 503 or a slow timeout is still a data point. */
    private void account(Protocol.Op op, long startNanos, Integer status, Throwable err, LatencyStats stats) {
        stats.record(op.read(), System.nanoTime() - startNanos);
        if (err != null) {
            stats.error(errorKind(err));
        } else if (!protocol.success(op.read(), status)) {
            stats.error(String.valueOf(status));
        }
    }

    static String errorKind(Throwable err) {
        if (err instanceof TimeoutException) {
            return "timeout";
        }
        if (err instanceof ConnectException) {
            return "connect";
        }
        return err.getClass().getSimpleName();
    }

    /** State of one open-loop phase; lives and runs on the lane's context only. */
    private final class OpenRun {
        private final long startNanos;
        private final long endNanos;
        private final double periodNanos;
        private final Promise<LatencyStats> done;
        private final LatencyStats stats = new LatencyStats();
        private final ArrayDeque<Endpoint> free = new ArrayDeque<>(slots);
        /** Lane-local sequence number of the next request to send; its due time is dueTime(next). */
        private long next;
        private int inFlight;
        private ScheduledFuture<?> wakeup;
        private long wakeupAt;

        OpenRun(long startNanos, long endNanos, double periodNanos, Promise<LatencyStats> done) {
            this.startNanos = startNanos;
            this.endNanos = endNanos;
            this.periodNanos = periodNanos;
            this.done = done;
        }

        void begin() {
            dispatch();
        }

        private long dueTime(long seq) {
            return startNanos + (long) ((index + seq * (double) laneCount) * periodNanos);
        }

        /** Requests that are due but have no free slot simply stay "due": that is the queue. */
        private void dispatch() {
            long now = System.nanoTime();
            while (!free.isEmpty()) {
                long due = dueTime(next);
                if (due >= endNanos || due > now) {
                    break;
                }
                next++;
                issue(free.poll(), due);
            }
            long nextDue = dueTime(next);
            if (nextDue >= endNanos) {
                if (inFlight == 0 && !done.future().isComplete()) {
                    done.complete(stats);
                }
            } else if (!free.isEmpty()) {
                wakeAt(nextDue);
            }
            // With no free connection the next completion dispatches: the due request waits, and
            // that wait counts in its latency.
        }

        /**
         * A one-shot timer at the next due time, to the nanosecond on the epoll transport: a
         * request leaves when it is due, not at the next tick of a millisecond timer (which sent
         * requests 0.5 ms late on average, and counted that wait as the server's latency).
         */
        private void wakeAt(long due) {
            if (wakeup != null && wakeupAt == due) {
                return;
            }
            if (wakeup != null) {
                wakeup.cancel(false);
            }
            wakeupAt = due;
            // The timer fires on the lane's event loop with the lane's context current while it
            // sends, or the HTTP client would answer on another event loop.
            wakeup = VertxNetty.schedule(ctx, due - System.nanoTime(), () -> {
                wakeup = null;
                dispatch();
            });
        }

        private void issue(Endpoint ep, long due) {
            Protocol.Op op = randomOp(ep);
            inFlight++;
            send(op).onComplete((status, err) -> {
                inFlight--;
                account(op, due, status, err, stats);
                free.add(ep);
                if (err == null) {
                    dispatch();
                } else {
                    ctx.runOnContext(x -> dispatch());
                }
            });
        }
    }
}
