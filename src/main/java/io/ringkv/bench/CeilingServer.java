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
        router.put("/kv/:key").handler(rc -> put(rc, store, syncedLog));
        router.delete("/kv/:key").handler(rc -> logged(rc, syncedLog, null).onComplete(ar -> {
            if (ar.succeeded()) {
                store.remove(rc.pathParam("key"));
            }
            noContent(rc, ar.succeeded());
        }));
    }

    /** Completes once the change is synced to the log (at once without one), on the request's context. */
    private static Future<Void> logged(RoutingContext rc, GroupCommitWriter syncedLog, Buffer value) {
        if (syncedLog == null) {
            return Future.succeededFuture();
        }
        byte[] key = rc.pathParam("key").getBytes(StandardCharsets.UTF_8);
        Mutation change = value == null ? Mutation.delete(key) : Mutation.put(key, value.getBytes());
        return Future.fromCompletionStage(syncedLog.write(List.of(change)), rc.vertx().getOrCreateContext());
    }

    private static void noContent(RoutingContext rc, boolean stored) {
        if (stored) {
            rc.response().putHeader("X-Context", CONTEXT_TOKEN).setStatusCode(204).end();
        } else {
            rc.response().setStatusCode(503).end();
        }
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

    private static void put(RoutingContext rc, ConcurrentMap<String, Stored> store, GroupCommitWriter syncedLog) {
        String type = rc.request().getHeader("Content-Type");
        Buffer body = rc.body().buffer() == null ? Buffer.buffer() : rc.body().buffer();
        // Readable only once written: a read never sees a value the log may still lose.
        logged(rc, syncedLog, body).onComplete(ar -> {
            if (ar.succeeded()) {
                store.put(rc.pathParam("key"), new Stored(body, type == null ? "application/octet-stream" : type));
            }
            noContent(rc, ar.succeeded());
        });
    }
}
