package io.ringkv.bench;

import io.ringkv.storage.GroupCommitWriter;
import io.ringkv.storage.Mutation;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The benchmark's ceiling: ringkv's HTTP surface (same routes, same router, similar headers) over
 * a plain map. Whatever {@code ringkv bench} measures here is the most any ringkv node could do on
 * the same machine, so real results are read as a fraction of it.
 *
 * <p>With a synced log, every PUT and DELETE is also written to LevelDB through the same
 * group-commit writer ringkv uses, synced, before it is answered: the least work any design that
 * makes writes durable through LevelDB's log has to do, and so the ceiling for synced writes.
 */
public final class CeilingServer extends VerticleBase {

    /** Same length class as a real ringkv context token, so response sizes stay comparable. */
    static final String CONTEXT_TOKEN = "AQAAAAJuMQAAAAF5cQ";

    /** A stored value with the Content-Type it was written with. */
    public record Stored(Buffer value, String contentType) { }

    private final String host;
    private final int port;
    private final ConcurrentMap<String, Stored> store;
    private final GroupCommitWriter syncedLog;

    public CeilingServer(String host, int port, ConcurrentMap<String, Stored> store, GroupCommitWriter syncedLog) {
        this.host = host;
        this.port = port;
        this.store = store;
        this.syncedLog = syncedLog;
    }

    /** Deploys {@code instances} verticles sharing one port and one map; yields the deployment id. */
    public static Future<String> deploy(Vertx vertx, String host, int port, int instances) {
        return deploy(vertx, host, port, instances, null);
    }

    /** As {@link #deploy(Vertx, String, int, int)}, writing every change to {@code syncedLog} (may be null). */
    public static Future<String> deploy(Vertx vertx, String host, int port, int instances, GroupCommitWriter syncedLog) {
        ConcurrentMap<String, Stored> store = new ConcurrentHashMap<>();
        return vertx.deployVerticle(() -> new CeilingServer(host, port, store, syncedLog),
                new DeploymentOptions().setInstances(Math.max(1, instances)));
    }

    @Override
    public Future<?> start() {
        Router router = Router.router(vertx);
        addRoutes(router, store, syncedLog);
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true));
        return server.requestHandler(router).listen(port, host);
    }

    /** The /kv routes alone, public so tests can put their own handlers (e.g. a stall) in front. */
    public static void addRoutes(Router router, ConcurrentMap<String, Stored> store) {
        addRoutes(router, store, null);
    }

    private static void addRoutes(Router router, ConcurrentMap<String, Stored> store, GroupCommitWriter syncedLog) {
        router.route("/kv/*").handler(BodyHandler.create());
        router.get("/kv/:key").handler(rc -> get(rc, store));
        router.put("/kv/:key").handler(rc -> {
            String key = rc.pathParam("key");
            String type = rc.request().getHeader("Content-Type");
            Buffer body = rc.body().buffer() == null ? Buffer.buffer() : rc.body().buffer();
            change(rc, syncedLog, key, body,
                    () -> store.put(key, new Stored(body, type == null ? "application/octet-stream" : type)));
        });
        router.delete("/kv/:key").handler(rc -> {
            String key = rc.pathParam("key");
            change(rc, syncedLog, key, null, () -> store.remove(key));
        });
    }

    /**
     * Applies a change to the map and answers 204. With a synced log, the change is applied only
     * once the log holds it (a read never sees a value the log may still lose); a failed log write
     * answers 503 and changes nothing. Without one, nothing but the map is touched.
     *
     * @param value the new value, or null for a delete
     */
    private static void change(RoutingContext rc, GroupCommitWriter syncedLog, String key, Buffer value, Runnable apply) {
        if (syncedLog == null) {
            apply.run();
            noContent(rc);
            return;
        }
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        Mutation logged = value == null ? Mutation.delete(k) : Mutation.put(k, value.getBytes());
        Future.fromCompletionStage(syncedLog.write(List.of(logged)), rc.vertx().getOrCreateContext())
                .onComplete(ar -> {
                    if (ar.succeeded()) {
                        apply.run();
                        noContent(rc);
                    } else {
                        rc.response().setStatusCode(503).end();
                    }
                });
    }

    private static void noContent(RoutingContext rc) {
        rc.response().putHeader("X-Context", CONTEXT_TOKEN).setStatusCode(204).end();
    }

    private static void get(RoutingContext rc, ConcurrentMap<String, Stored> store) {
        Stored s = store.get(rc.pathParam("key"));
        rc.response().putHeader("X-Context", CONTEXT_TOKEN);
        if (s == null) {
            rc.response().setStatusCode(404).putHeader("Content-Type", "application/json")
                    .end(new JsonObject().put("error", "not_found").put("message", "no such key").encode());
            return;
        }
        rc.response().setStatusCode(200).putHeader("Content-Type", s.contentType()).end(s.value());
    }
}
