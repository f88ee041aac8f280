package io.ringkv.api;

import io.ringkv.cluster.Consistency;
import io.ringkv.config.RingkvConfig;
import io.ringkv.config.SecurityConfig;
import io.ringkv.ring.Replication;
import io.ringkv.messaging.KvRequest;
import io.ringkv.messaging.KvResponse;
import io.ringkv.messaging.LocalCoordinators;
import io.ringkv.messaging.SiblingDocument;
import io.ringkv.metrics.StoreMetrics;
import io.ringkv.netty.VertxNetty;
import io.ringkv.security.Authenticator;
import io.ringkv.version.CausalContextCodec;
import io.ringkv.version.InvalidContextException;
import io.ringkv.version.SiblingSet;
import io.ringkv.version.Version;
import io.ringkv.version.VersionVector;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The HTTP face of a node: routing, validation, limits and content negotiation. It holds no
 * storage or ring logic: data requests become {@link KvRequest}s sent to this node's coordinator.
 */
public final class HttpApiVerticle extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(HttpApiVerticle.class.getName());
  private static final String KV_PREFIX = "/kv/";
  private static final String CONTEXT_HEADER = "X-Context";
  private static final String JSON = "application/json";
  private static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";
  /** The coordinator answers within the request timeout; this margin covers the local hop. */
  private static final long LOCAL_HOP_MARGIN_MS = 1_000;

  private final Dependencies deps;
  private final RingkvConfig config;
  private final Replication replication;
  private final RouteMount extraRoutes;
  private final int port;
  private final IntConsumer boundPort;
  /** One per instance: an instance runs on one event loop. */
  private final HttpDates httpDates = new HttpDates();

  /**
   * What every HTTP instance of a node shares.
   *
   * @param metricsRegistryName the Micrometer registry that {@code /metrics} scrapes
   * @param coordinators finds the coordinator on the calling event loop
   * @param ready whether the node is ready ({@code /ready})
   */
  public record Dependencies(RingkvConfig config, StoreMetrics metrics, String metricsRegistryName,
      LocalCoordinators coordinators, BooleanSupplier ready, Authenticator auth) {}

  /**
   * @param port the port to listen on (the node passes the resolved port so that every instance
   *     shares one server, also when the configured port is 0)
   * @param extraRoutes lets other parts of the node (cluster views, the feed) add routes
   * @param boundPort told the port the server actually bound
   */
  public HttpApiVerticle(Dependencies deps, int port, RouteMount extraRoutes, IntConsumer boundPort) {
    this.deps = deps;
    this.config = deps.config();
    this.replication = config.replicationPlan();
    this.boundPort = boundPort;
    this.port = port;
    this.extraRoutes = extraRoutes;
  }

  /** Lets other parts of the node add routes; runs on the instance's own event loop. */
  @FunctionalInterface
  public interface RouteMount {
    void mount(io.vertx.core.Vertx vertx, Router router);
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.route().handler(RequestSanity::handle);
    if (deps.auth().enabled()) {
      router.route().handler(new AuthHandler(deps.auth())::handle);
    }
    router.get("/health").handler(rc -> json(rc, 200, new JsonObject().put("status", "UP")));
    router.get("/ready").handler(this::ready);
    router.get("/metrics").handler(PrometheusScrapingHandler.create(deps.metricsRegistryName()));
    router.route("/kv/*").useNormalizedPath(false).handler(this::checkMethod);
    router.put("/kv/*").useNormalizedPath(false).handler(this::readValue);
    router.get("/kv/*").useNormalizedPath(false).handler(this::get);
    router.delete("/kv/*").useNormalizedPath(false).handler(this::delete);
    router.route("/kv").handler(rc -> error(rc, ErrorCode.BAD_REQUEST, "key must not be empty", null));
    extraRoutes.mount(vertx, router);
    router.get("/*").handler(StaticHandler.create("webroot").setCachingEnabled(false));
    router.route().last().handler(rc -> error(rc, ErrorCode.NOT_FOUND, "no such endpoint: " + rc.request().path(), null));
    router.errorHandler(413, rc -> tooLarge(rc, false));
    // The router refuses undecodable paths (e.g. a broken percent-escape) before any route runs.
    router.errorHandler(400, rc -> error(rc, ErrorCode.BAD_REQUEST, "malformed request path or parameters", null));
    router.errorHandler(500, rc -> {
      LOG.log(Level.WARNING, "unhandled error on " + rc.request().method() + " " + rc.request().path(), rc.failure());
      error(rc, ErrorCode.INTERNAL, "internal error", null);
    });
    HttpServerOptions options = new HttpServerOptions().setHost(config.host()).setPort(port)
        .setCompressionSupported(false).setTcpNoDelay(true)
        // HTTP/1.1 only: with h2c detection on, Vert.x sets a connection up only once its first bytes
        // arrive, and the ConnectionGuard could not time out a client that never sends any.
        .setHttp2ClearTextEnabled(false)
        // Oversized feed frames must reach the feed (which answers with an error frame), not be cut by Netty.
        .setMaxWebSocketFrameSize(1 << 20);
    SecurityConfig security = config.security();
    if (security.tls()) {
      options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions().setCertPath(security.tlsCert())
          .setKeyPath(security.tlsKey()))
          // BoringSSL where it loads: the JDK's engine cost about half the throughput (docs/security.md).
          .setSslEngineOptions(OpenSSLEngineOptions.isAvailable() ? new OpenSSLEngineOptions() : new JdkSSLEngineOptions());
    }
    return vertx.createHttpServer(options).requestHandler(router)
        .connectionHandler(connection -> VertxNetty.addBeforeVertx(connection, "ringkv-guard",
            new ConnectionGuard(security.headerTimeoutMs())))
        .listen()
        .onSuccess(server -> boundPort.accept(server.actualPort()));
  }

  private void ready(RoutingContext rc) {
    boolean ready = deps.ready().getAsBoolean();
    json(rc, ready ? 200 : 503, new JsonObject().put("status", ready ? "READY" : "STARTING").put("node", config.id()));
  }

  private void checkMethod(RoutingContext rc) {
    HttpMethod m = rc.request().method();
    if (m == HttpMethod.GET || m == HttpMethod.PUT || m == HttpMethod.DELETE) {
      rc.next();
      return;
    }
    rc.response().putHeader(HttpHeaders.ALLOW, "GET, PUT, DELETE");
    error(rc, ErrorCode.METHOD_NOT_ALLOWED, "method " + m.name() + " is not allowed on /kv/{key}", null);
  }

  // ---------------------------------------------------------------- data endpoints

  private void get(RoutingContext rc) {
    KvRequest request;
    try {
      request = new KvRequest(KvRequest.Op.GET, key(rc), null, null, null,
          quorum(rc, "r", config.r()), config.w(), timeout(rc), sloppy(rc), false);
    } catch (BadRequestException e) {
      error(rc, ErrorCode.BAD_REQUEST, e.getMessage(), null);
      return;
    }
    coordinate(rc, request).onSuccess(response -> renderRead(rc, request, response));
  }

  /** The value is the body as opaque bytes, never decoded as a form (see {@link ValueBody}). */
  private void readValue(RoutingContext rc) {
    ValueBody.read(rc.request(), config.maxValueBytes()).onComplete((body, err) -> {
      if (err == null) {
        put(rc, body);
      } else if (err instanceof ValueBody.TooLargeException tooLarge) {
        tooLarge(rc, tooLarge.bodyWithheld());
      } else {
        // An unknown Expect, a malformed chunk, a client gone mid-body (then nobody reads this).
        error(rc, ErrorCode.BAD_REQUEST, "the request body could not be read: " + err.getMessage(), null);
      }
    });
  }

  private void tooLarge(RoutingContext rc, boolean closeConnection) {
    if (closeConnection) {
      rc.response().putHeader(HttpHeaders.CONNECTION, "close");
    }
    error(rc, ErrorCode.TOO_LARGE, "value is larger than the limit of " + config.maxValueBytes() + " bytes",
        new JsonObject().put("limit", config.maxValueBytes()))
        .onComplete(v -> {
          if (closeConnection) {
            rc.request().connection().close();
          }
        });
  }

  private void put(RoutingContext rc, Buffer body) {
    KvRequest request;
    try {
      byte[] key = key(rc);
      int w = quorum(rc, "w", config.w());
      long timeout = timeout(rc);
      boolean sloppy = sloppy(rc);
      boolean returnBody = RequestParams.bool("returnbody", param(rc, "returnbody"), false);
      VersionVector context = context(rc);
      String contentType = rc.request().getHeader(HttpHeaders.CONTENT_TYPE);
      request = new KvRequest(KvRequest.Op.PUT, key, body.getBytes(),
          contentType == null || contentType.isBlank() ? DEFAULT_CONTENT_TYPE : contentType, context,
          config.r(), w, timeout, sloppy, returnBody);
    } catch (BadRequestException e) {
      error(rc, ErrorCode.BAD_REQUEST, e.getMessage(), null);
      return;
    }
    coordinate(rc, request).onSuccess(response -> renderWrite(rc, request, response));
  }

  private void delete(RoutingContext rc) {
    KvRequest request;
    try {
      request = new KvRequest(KvRequest.Op.DELETE, key(rc), null, null, context(rc),
          config.r(), quorum(rc, "w", config.w()), timeout(rc), sloppy(rc), false);
    } catch (BadRequestException e) {
      error(rc, ErrorCode.BAD_REQUEST, e.getMessage(), null);
      return;
    }
    coordinate(rc, request).onSuccess(response -> renderWrite(rc, request, response));
  }

  private Future<KvResponse> coordinate(RoutingContext rc, KvRequest request) {
    DeliveryOptions options = new DeliveryOptions().setLocalOnly(true)
        .setSendTimeout(request.timeoutMs() + LOCAL_HOP_MARGIN_MS);
    return vertx.eventBus().<KvResponse>request(deps.coordinators().addressForThisThread(), request, options)
        .map(Message::body)
        .onFailure(err -> {
          LOG.log(Level.WARNING, "coordinator of " + config.id() + " did not answer " + request.op(), err);
          error(rc, ErrorCode.TIMEOUT, "the coordinator did not answer in time", null);
        });
  }

  // ---------------------------------------------------------------- rendering

  private void renderRead(RoutingContext rc, KvRequest request, KvResponse response) {
    if (!renderFailure(rc, response)) {
      return;
    }
    SiblingSet set = response.siblings();
    String context = CausalContextCodec.encode(set.context());
    if (!set.hasLiveValue()) {
      if (!set.isEmpty()) {
        rc.response().putHeader(CONTEXT_HEADER, context);
      }
      error(rc, ErrorCode.NOT_FOUND, "key not found", null);
      return;
    }
    renderSiblings(rc, request.key(), set, context, wantsJson(rc));
  }

  private void renderWrite(RoutingContext rc, KvRequest request, KvResponse response) {
    if (!renderFailure(rc, response)) {
      return;
    }
    Version written = response.written();
    if (request.returnBody() && response.siblings() != null && response.siblings().hasLiveValue()) {
      SiblingSet set = response.siblings();
      renderSiblings(rc, request.key(), set, CausalContextCodec.encode(set.context()), true);
      return;
    }
    if (written != null) {
      rc.response().putHeader(CONTEXT_HEADER,
          CausalContextCodec.encode(response.siblings().contextAfterWrite(written)));
    }
    end(rc, 204, null, null);
  }

  /** 200 with the raw value for one live version, else 300 with the sibling document. */
  private void renderSiblings(RoutingContext rc, byte[] key, SiblingSet set, String context, boolean json) {
    HttpServerResponse resp = rc.response().putHeader(CONTEXT_HEADER, context);
    if (set.versions().size() == 1) {
      Version only = set.versions().get(0);
      resp.putHeader(HttpHeaders.ETAG, "\"" + only.dot().actor() + "." + only.dot().counter() + "\"")
          .putHeader(HttpHeaders.LAST_MODIFIED, httpDates.format(only.timestampMs()));
      if (!json) {
        end(rc, 200, only.contentType(), Buffer.buffer(only.value()));
        return;
      }
    }
    end(rc, set.versions().size() == 1 ? 200 : 300, JSON, SiblingDocument.of(key, set).toBuffer());
  }

  /** Adds {@code "dcs": {"dc1": {"required", "acknowledged"}, ...}} from a coordinator's per-DC counts. */
  static JsonObject withDcCounts(JsonObject body, String dcCounts) {
    if (dcCounts == null || dcCounts.isEmpty()) {
      return body;
    }
    JsonObject dcs = new JsonObject();
    for (String item : dcCounts.split(",")) {
      String[] parts = item.split(":");
      dcs.put(parts[0], new JsonObject().put("required", Integer.parseInt(parts[1]))
          .put("acknowledged", Integer.parseInt(parts[2])));
    }
    return body.put("dcs", dcs);
  }

  /** Renders a coordinator failure; returns true when the response is a success to render. */
  private boolean renderFailure(RoutingContext rc, KvResponse response) {
    switch (response.outcome()) {
      case OK:
        return true;
      case UNAVAILABLE:
      case TIMEOUT:
        error(rc, response.outcome() == KvResponse.Outcome.TIMEOUT ? ErrorCode.TIMEOUT : ErrorCode.UNAVAILABLE,
            response.message(), withDcCounts(new JsonObject().put("required", response.required())
                .put("acknowledged", response.acknowledged()), response.dcCounts()));
        return false;
      case BAD_REQUEST:
        error(rc, ErrorCode.BAD_REQUEST, response.message(), null);
        return false;
      case TOO_MANY_SIBLINGS:
        error(rc, ErrorCode.TOO_MANY_SIBLINGS, response.message(), new JsonObject()
            .put("limit", response.siblingLimit()).put("siblings", response.siblingCount()));
        return false;
      default:
        error(rc, ErrorCode.INTERNAL, "internal error", null);
        return false;
    }
  }

  // ---------------------------------------------------------------- helpers

  private static byte[] key(RoutingContext rc) {
    String path = rc.request().path();
    return KeyPath.decode(path.substring(Math.min(KV_PREFIX.length(), path.length())));
  }

  private int quorum(RoutingContext rc, String name, int defaultValue) {
    if (config.multiDc()) {
      try {
        return Consistency.parse(name, param(rc, name), replication, Consistency.LOCAL_QUORUM);
      } catch (IllegalArgumentException e) {
        throw new BadRequestException(e.getMessage());
      }
    }
    return RequestParams.quorum(name, param(rc, name), config.n(), defaultValue);
  }

  private long timeout(RoutingContext rc) {
    return RequestParams.timeout(param(rc, "timeout"), config.requestTimeoutMs());
  }

  private static boolean sloppy(RoutingContext rc) {
    return RequestParams.bool("sloppy", param(rc, "sloppy"), true);
  }

  /** A query parameter this endpoint takes, given at most once; parameters it does not take are ignored. */
  private static String param(RoutingContext rc, String name) {
    return RequestParams.single(name, rc.request().params().getAll(name));
  }

  private static VersionVector context(RoutingContext rc) {
    String token = rc.request().getHeader(CONTEXT_HEADER);
    if (token == null) {
      return null;
    }
    try {
      return CausalContextCodec.decode(token.trim());
    } catch (InvalidContextException e) {
      throw new BadRequestException("X-Context is not a valid causal context: " + e.getMessage());
    }
  }

  private static boolean wantsJson(RoutingContext rc) {
    String accept = rc.request().getHeader(HttpHeaders.ACCEPT);
    return accept != null && accept.contains(JSON);
  }

  private Future<Void> error(RoutingContext rc, ErrorCode code, String message, JsonObject extra) {
    JsonObject body = new JsonObject().put("error", code.code()).put("message", message);
    if (extra != null) {
      body.mergeIn(extra);
    }
    return json(rc, code.status(), body);
  }

  private Future<Void> json(RoutingContext rc, int status, JsonObject body) {
    return end(rc, status, JSON, body.toBuffer());
  }

  private Future<Void> end(RoutingContext rc, int status, String contentType, Buffer body) {
    HttpServerResponse resp = rc.response();
    if (resp.ended()) {
      return Future.succeededFuture();
    }
    resp.setStatusCode(status);
    if (contentType != null) {
      resp.putHeader(HttpHeaders.CONTENT_TYPE, contentType);
    }
    if (rc.request().path().startsWith(KV_PREFIX)) {
      deps.metrics().request(rc.request().method().name().toLowerCase(), status);
    }
    return body == null ? resp.end() : resp.end(body);
  }
}
