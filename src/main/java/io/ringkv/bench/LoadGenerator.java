package io.ringkv.bench;

import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The benchmark engine: prefill, warmup, then one measured phase, closed or open loop.
 *
 * <p>It owns a private Vertx with one event loop per lane (a lane = a share of the connections),
 * so the generator never competes with the event loops of the system under test when both run in
 * one JVM, and it closes that Vertx when done.
 */
public final class LoadGenerator {

    private final BenchConfig cfg;
    private final Consumer<String> progress;
    private String token;
    private boolean insecure;
    private volatile List<String> laneThreads = List.of();

    public LoadGenerator(BenchConfig cfg) {
        this(cfg, msg -> { });
    }

    /** @param progress receives one line per phase change (the CLI prints them to stderr) */
    public LoadGenerator(BenchConfig cfg, Consumer<String> progress) {
        this.cfg = Objects.requireNonNull(cfg);
        this.progress = Objects.requireNonNull(progress);
    }

    /**
     * Sends {@code token} (null: none) as a bearer token with every request; with {@code insecure}
     * https:// URLs are used without checking the server's certificate (self-signed test set-ups).
     */
    public LoadGenerator secured(String token, boolean insecure) {
        this.token = token;
        this.insecure = insecure;
        return this;
    }

    /**
     * Runs the whole benchmark and blocks until done. Must not be called on a Vert.x thread: it
     * waits, and it closes its private Vertx from the calling thread, which is why there is no
     * Future-returning variant (a future bound to one of the closed event loops could never
     * deliver its result).
     */
    public BenchResult run() {
        int laneCount = Math.min(cfg.connections(), Math.max(1, Runtime.getRuntime().availableProcessors()));
        Vertx vertx = Vertx.builder().with(new VertxOptions().setEventLoopPoolSize(laneCount)
                .setPreferNativeTransport(true)).build();
        List<Lane> lanes = new ArrayList<>();
        try {
            return createLanes(vertx, laneCount, lanes).compose(v -> execute(lanes)).await();
        } finally {
            closeAll(vertx, lanes);
        }
    }

    private static void closeAll(Vertx vertx, List<Lane> lanes) {
        List<Future<Void>> closes = new ArrayList<>();
        for (Lane lane : lanes) {
            closes.add(lane.client().close());
        }
        try {
            Future.join(closes).await(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // Closing is best effort: the Vertx close below tears the sockets down anyway.
        }
        vertx.close().await();
    }

    /**
     * Connection j goes to URL j % urls (the contract's round robin) and to lane
     * (j / urls) % lanes, so every lane sees every URL when there are enough connections.
     */
    private Future<Void> createLanes(Vertx vertx, int laneCount, List<Lane> lanes) {
        List<List<Endpoint>> slotsPerLane = new ArrayList<>();
        for (int i = 0; i < laneCount; i++) {
            slotsPerLane.add(new ArrayList<>());
        }
        int urlCount = cfg.urls().size();
        for (int j = 0; j < cfg.connections(); j++) {
            slotsPerLane.get((j / urlCount) % laneCount).add(cfg.urls().get(j % urlCount));
        }
        Protocol protocol = new Protocol(cfg.target(), cfg.r(), cfg.w(), cfg.keys(), cfg.keyPrefix()).withToken(token);
        // One deployment with N instances takes N consecutive event loops, so each lane gets its
        // own thread. (Deploying one by one does not: anything created in between, an HttpClient
        // for instance, also takes a turn in the round robin, and lanes ended up sharing a loop.)
        Queue<ContextHolder> holders = new ConcurrentLinkedQueue<>();
        return vertx.deployVerticle(() -> {
            ContextHolder h = new ContextHolder();
            holders.add(h);
            return h;
        }, new DeploymentOptions().setInstances(laneCount)).compose(id -> {
            int i = 0;
            List<Future<String>> threads = new ArrayList<>();
            for (ContextHolder holder : holders) {
                List<Endpoint> slots = slotsPerLane.get(i);
                HttpClient client = vertx.createHttpClient(
                        new HttpClientOptions().setKeepAlive(true).setPipelining(false).setTcpNoDelay(true)
                                .setConnectTimeout((int) Protocol.REQUEST_TIMEOUT_MS)
                                // https:// URLs: the JVM's trust store, or no check at all with --insecure.
                                .setTrustAll(insecure).setVerifyHost(!insecure)
                                .setSslEngineOptions(OpenSSLEngineOptions.isAvailable() ? new OpenSSLEngineOptions()
                                        : new JdkSSLEngineOptions()),
                        new PoolOptions().setHttp1MaxSize(maxPerUrl(slots)));
                lanes.add(new Lane(holder.ctx, client, slots, protocol, cfg, i, laneCount));
                threads.add(threadOf(holder.ctx));
                i++;
            }
            return Future.all(threads).map(all -> {
                laneThreads = List.copyOf(all.<String>list());
                return null;
            });
        });
    }

    private static Future<String> threadOf(Context ctx) {
        Promise<String> p = Promise.promise();
        ctx.runOnContext(v -> p.complete(Thread.currentThread().getName()));
        return p.future();
    }

    /** Names of the threads the lanes ran on, for tests that check lanes really spread out. */
    List<String> laneThreads() {
        return laneThreads;
    }

    /** An empty verticle whose only job is to own an event-loop context for a lane. */
    private static final class ContextHolder extends VerticleBase {
        private volatile Context ctx;

        @Override
        public Future<?> start() {
            ctx = context;
            return Future.succeededFuture();
        }
    }

    /** The pool limit is per server address, so size it for the URL this lane hits most. */
    private static int maxPerUrl(List<Endpoint> slots) {
        Map<String, Integer> counts = new HashMap<>();
        for (Endpoint ep : slots) {
            counts.merge(ep.host() + ":" + ep.port(), 1, Integer::sum);
        }
        return counts.values().stream().mapToInt(Integer::intValue).max().orElse(1);
    }

    private Future<BenchResult> execute(List<Lane> lanes) {
        long[] prefillErrors = {0};
        Future<Void> ready = Future.succeededFuture();
        if (cfg.prefill()) {
            ready = ready.compose(v -> {
                progress.accept("prefill: writing " + cfg.keys() + " keys");
                return merge(lanes, Lane::prefill);
            }).map(stats -> {
                prefillErrors[0] = stats.errorCount();
                return null;
            });
        }
        if (cfg.warmupMs() > 0) {
            ready = ready.compose(v -> {
                progress.accept("warmup: " + cfg.warmupMs() + " ms (not measured)");
                return phase(lanes, cfg.warmupMs()).<Void>mapEmpty();
            });
        }
        return ready.compose(v -> {
            progress.accept("measuring: " + cfg.durationMs() + " ms");
            long t0 = System.nanoTime();
            return phase(lanes, cfg.durationMs())
                    .map(stats -> toResult(stats, System.nanoTime() - t0, prefillErrors[0]));
        });
    }

    private Future<LatencyStats> phase(List<Lane> lanes, long durationMs) {
        long start = System.nanoTime();
        long end = start + TimeUnit.MILLISECONDS.toNanos(durationMs);
        if (!cfg.openLoop()) {
            return merge(lanes, lane -> lane.closed(end));
        }
        double period = 1e9 / cfg.rate();
        return merge(lanes, lane -> lane.open(start, end, period));
    }

    /** Runs fn on every lane and merges their stats once all lanes are done (single writer each). */
    private static Future<LatencyStats> merge(List<Lane> lanes, Function<Lane, Future<LatencyStats>> fn) {
        List<Future<LatencyStats>> parts = new ArrayList<>();
        for (Lane lane : lanes) {
            parts.add(fn.apply(lane));
        }
        return Future.all(parts).map(all -> {
            LatencyStats total = new LatencyStats();
            for (Future<LatencyStats> f : parts) {
                total.add(f.result());
            }
            return total;
        });
    }

    private BenchResult toResult(LatencyStats stats, long elapsedNanos, long prefillErrors) {
        long ops = stats.ops();
        double seconds = elapsedNanos / 1e9;
        List<String> urls = cfg.urls().stream().map(Endpoint::url).toList();
        return new BenchResult(cfg.target().name(), urls, cfg.openLoop() ? "open" : "closed", cfg.rate(),
                TimeUnit.NANOSECONDS.toMillis(elapsedNanos), cfg.connections(), cfg.valueBytes(), cfg.keys(),
                cfg.readRatio(), cfg.seed(), ops, stats.errors, prefillErrors, ops / seconds,
                BenchResult.Latency.of(stats.combined()), BenchResult.Latency.of(stats.reads),
                BenchResult.Latency.of(stats.writes));
    }
}
