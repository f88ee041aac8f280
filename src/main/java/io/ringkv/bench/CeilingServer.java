package io.ringkv.bench;

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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The benchmark's ceiling: ringkv's HTTP surface (same routes, same router, similar headers) over
 * a plain map. Whatever {@code ringkv bench} measures here is the most any ringkv node could do on
 * the same machine, so real results are read as a fraction of it.
 */
public final class CeilingServer extends VerticleBase {

    /** Same length class as a real ringkv context token, so response sizes stay comparable. */
    static final String CONTEXT_TOKEN = "AQAAAAJuMQAAAAF5cQ";

    /** A stored value with the Content-Type it was written with. */
    public record Stored(Buffer value, String contentType) { }

    private final String host;
    private final int port;
    private final ConcurrentMap<String, Stored> store;

    public CeilingServer(String host, int port, ConcurrentMap<String, Stored> store) {
        this.host = host;
        this.port = port;
        this.store = store;
    }

    /** Deploys {@code instances} verticles sharing one port and one map; yields the deployment id. */
    public static Future<String> deploy(Vertx vertx, String host, int port, int instances) {
        ConcurrentMap<String, Stored> store = new ConcurrentHashMap<>();
        return vertx.deployVerticle(() -> new CeilingServer(host, port, store),
                new DeploymentOptions().setInstances(Math.max(1, instances)));
    }

    @Override
    public Future<?> start() {
        Router router = Router.router(vertx);
        addRoutes(router, store);
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true));
        return server.requestHandler(router).listen(port, host);
    }

    /** The /kv routes alone, public so tests can put their own handlers (e.g. a stall) in front. */
    public static void addRoutes(Router router, ConcurrentMap<String, Stored> store) {
        router.route("/kv/*").handler(BodyHandler.create());
        router.get("/kv/:key").handler(rc -> get(rc, store));
        router.put("/kv/:key").handler(rc -> put(rc, store));
        router.delete("/kv/:key").handler(rc -> {
            store.remove(rc.pathParam("key"));
            rc.response().putHeader("X-Context", CONTEXT_TOKEN).setStatusCode(204).end();
        });
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

    private static void put(RoutingContext rc, ConcurrentMap<String, Stored> store) {
        String type = rc.request().getHeader("Content-Type");
        Buffer body = rc.body().buffer();
        store.put(rc.pathParam("key"), new Stored(body == null ? Buffer.buffer() : body,
                type == null ? "application/octet-stream" : type));
        rc.response().putHeader("X-Context", CONTEXT_TOKEN).setStatusCode(204).end();
    }
}
