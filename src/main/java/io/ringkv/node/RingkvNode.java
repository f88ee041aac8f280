package io.ringkv.node;

import io.ringkv.api.ClusterRoutes;
import io.ringkv.api.HttpApiVerticle;
import io.ringkv.cluster.ClusterState;
import io.ringkv.cluster.MemberInfo;
import io.ringkv.cluster.MemberStatus;
import io.ringkv.cluster.MembershipTable;
import io.ringkv.config.ConfigException;
import io.ringkv.config.RingkvConfig;
import io.ringkv.coordinator.CoordinatorVerticle;
import io.ringkv.feed.FeedPublisher;
import io.ringkv.feed.FeedRoutes;
import io.ringkv.gossip.GossipVerticle;
import io.ringkv.messaging.Codecs;
import io.ringkv.messaging.LocalCoordinators;
import io.ringkv.metrics.StoreMetrics;
import io.ringkv.ring.Ring;
import io.ringkv.storage.EngineMeters;
import io.ringkv.storage.LocalReplica;
import io.ringkv.storage.ReplicaStore;
import io.ringkv.storage.RowCache;
import io.ringkv.storage.StorageEngine;
import io.ringkv.storage.StorageEngines;
import io.ringkv.storage.StorageOptions;
import io.ringkv.storage.StorageVerticle;
import io.ringkv.version.ConflictMode;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.micrometer.backends.BackendRegistries;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.logging.Logger;

/**
 * One ringkv node: a Vert.x instance (clustered through Hazelcast unless {@code join=none}), its
 * storage, coordinator and HTTP API verticles. Several nodes may run in one JVM (tests).
 */
public final class RingkvNode {
  private static final Logger LOG = Logger.getLogger(RingkvNode.class.getName());


  private final RingkvConfig config;
  private final Vertx vertx;
  private final ClusterState cluster;
  private final StoreMetrics metrics;
  private final ReplicaStore store;
  private final int httpPort;

  private RingkvNode(RingkvConfig config, Vertx vertx, ClusterState cluster, StoreMetrics metrics, ReplicaStore store,
      int httpPort) {
    this.config = config;
    this.vertx = vertx;
    this.cluster = cluster;
    this.metrics = metrics;
    this.store = store;
    this.httpPort = httpPort;
  }

  public static Future<RingkvNode> start(RingkvConfig config) {
    return start(config, UnaryOperator.identity());
  }

  /**
   * {@link #start(RingkvConfig)} with the storage engine wrapped by {@code engineDecorator}: the
   * seam for fault injection (a disk that stalls or fails its writes) in tests.
   */
  public static Future<RingkvNode> start(RingkvConfig config, UnaryOperator<StorageEngine> engineDecorator) {
    try {
      config.requireFitsHeap(Runtime.getRuntime().maxMemory());
    } catch (ConfigException e) {
      return Future.failedFuture(e);
    }
    String registryName = "ringkv-" + config.id();
    MicrometerMetricsOptions metricsOptions = new MicrometerMetricsOptions()
        .setEnabled(true)
        .setRegistryName(registryName)
        .setJvmMetricsEnabled(true)
        // Per-message event-bus meters cost on every hop of every request; the store's own
        // meters (requests, quorum latency, repairs) say what operators need.
        .addDisabledMetricsCategory(MetricsDomain.EVENT_BUS)
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true));
    if (!config.httpRequestMetrics()) {
      // Looked up and tagged on every request: about 5% of a busy node's CPU (async-profiler).
      metricsOptions.addDisabledMetricsCategory(MetricsDomain.HTTP_SERVER);
    }
    VertxOptions vertxOptions = new VertxOptions()
        .setMetricsOptions(metricsOptions)
        // As many event loops as HTTP instances (see deployCoordinators).
        .setEventLoopPoolSize(config.httpInstances())
        .setPreferNativeTransport(config.nativeTransport())
        .setBlockedThreadCheckInterval(1000)
        .setMaxEventLoopExecuteTime(2000)
        .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
        .setEventBusOptions(new EventBusOptions().setHost(config.host()).setClusterPublicHost(config.host()));
    VertxBuilder builder = Vertx.builder().with(vertxOptions);
    Future<Vertx> vertxFuture = "none".equals(config.join())
        ? Future.succeededFuture(builder.build())
        : builder.withClusterManager(new HazelcastClusterManager(ClusterSetup.hazelcast(config))).buildClustered();
    Promise<RingkvNode> started = Promise.promise();
    vertxFuture.onComplete(built -> {
      if (built.failed()) {
        started.fail(built.cause());
        return;
      }
      Vertx vertx = built.result();
      boot(vertx, config, registryName, engineDecorator).onComplete(booted -> {
        if (booted.succeeded()) {
          started.complete(booted.result());
        } else {
          closeThenFail(vertx, booted.cause(), started);
        }
      });
    });
    return started.future();
  }

  /**
   * Closes a Vert.x whose boot failed, then fails {@code started}. Closed from a thread of its own:
   * closed from one of its event loops, Vert.x would hand the outcome to that loop after it shut
   * down, and the failure would never arrive.
   */
  private static void closeThenFail(Vertx vertx, Throwable cause, Promise<RingkvNode> started) {
    CompletableFuture.runAsync(() -> vertx.close().onComplete(closed -> started.fail(cause)));
  }

  private static Future<RingkvNode> boot(Vertx vertx, RingkvConfig config, String registryName,
      UnaryOperator<StorageEngine> engineDecorator) {
    Codecs.registerAll(vertx.eventBus());
    StoreMetrics metrics = new StoreMetrics(BackendRegistries.getNow(registryName));
    return vertx.executeBlocking(() -> openStore(config, engineDecorator))
        .compose(store -> wire(vertx, config, registryName, metrics, store)
            .recover(err -> vertx.executeBlocking(() -> {
              store.close();
              return null;
            }).transform(ignored -> Future.failedFuture(err))));
  }

  /** Deploys the verticles on an open store, each given exactly what it uses. */
  private static Future<RingkvNode> wire(Vertx vertx, RingkvConfig config, String registryName, StoreMetrics metrics,
      ReplicaStore store) {
    registerStorageGauges(metrics, store);
    Clock clock = Clock.systemUTC();
    ClusterState cluster = newClusterState(config, metrics, store, clock);
    AtomicBoolean ready = new AtomicBoolean();
    LocalCoordinators coordinators = new LocalCoordinators(config.id());
    LocalReplica replica = new LocalReplica(store);
    HttpApiVerticle.Dependencies api = new HttpApiVerticle.Dependencies(config, metrics, registryName, coordinators,
        ready::get);
    ClusterRoutes clusterRoutes = new ClusterRoutes(config, cluster, clock);
    FeedPublisher feed = new FeedPublisher(vertx);
    boolean clustered = !"none".equals(config.join());
    return vertx.deployVerticle(new StorageVerticle(config.id(), replica))
        .compose(id -> deployHttp(vertx, api, (v, router) -> {
          clusterRoutes.mount(router);
          FeedRoutes.mount(v, router, metrics);
        }))
        .compose(port -> deployCoordinators(vertx, () -> new CoordinatorVerticle(config, cluster, replica, feed,
            metrics, clock, coordinators), config.httpInstances()).map(port))
        .compose(port -> {
          MembershipTable membership = cluster.membership();
          MemberInfo self = membership.self();
          membership.updateSelf(new MemberInfo(self.id(), self.host(), port, self.dc(), self.joinedAtMs(),
              self.generation(), self.heartbeat()));
          Future<?> gossip = clustered
              ? vertx.deployVerticle(new GossipVerticle(config, cluster, clock,
                  members -> persistMembers(vertx, store, members)))
              : Future.succeededFuture();
          return gossip.compose(ignored -> persistMembers(vertx, store, membership.digest())).map(ignored -> port);
        })
        .map(port -> {
          ready.set(true);
          LOG.info("ringkv node " + config.id() + " ready http=" + port + " storage=" + store.engine().name()
              + " transport=" + transportName(vertx) + " actor=" + store.actor()
              + (store.previousShutdownClean() ? "" : " (new actor name: the last shutdown was not clean)"));
          return new RingkvNode(config, vertx, cluster, metrics, store, port);
        });
  }

  /**
   * The node's view of the cluster. Ring members remembered from earlier runs come back (as down
   * until they gossip), and this node keeps its first join time, so a restart rejoins with the same ring.
   */
  private static ClusterState newClusterState(RingkvConfig config, StoreMetrics metrics, ReplicaStore store,
      Clock clock) {
    long now = clock.millis();
    List<MemberInfo> remembered = MemberRecords.load(store.engine());
    long joinedAt = remembered.stream().filter(m -> m.id().equals(config.id())).mapToLong(MemberInfo::joinedAtMs)
        .findFirst().orElse(now);
    MembershipTable membership = new MembershipTable(
        new MemberInfo(config.id(), config.host(), config.httpPort(), config.dc(), joinedAt, now, 0),
        config.suspectAfterMs(), config.downAfterMs(), now);
    membership.restore(remembered);
    Ring ring = Ring.fromMembers(config.partitions(), membership.ringMembers());
    for (MemberStatus status : MemberStatus.values()) {
      metrics.gauge("ringkv.gossip.members", "Members by status as this node's failure detector sees them",
          status.label(), () -> membership.view(clock.millis()).stream().filter(m -> m.status() == status).count());
    }
    return new ClusterState(config.id(), config.n(), ring, membership);
  }

  private static Future<Void> persistMembers(Vertx vertx, ReplicaStore store, List<MemberInfo> members) {
    return vertx.executeBlocking(() -> {
      MemberRecords.save(store.engine(), members);
      return null;
    });
  }

  private static ReplicaStore openStore(RingkvConfig config, UnaryOperator<StorageEngine> engineDecorator)
      throws IOException {
    Files.createDirectories(config.dataDir());
    String kind = StorageEngines.resolve(config.dataDir(), config.engine());
    StorageEngine engine = engineDecorator.apply(StorageEngines.open(config.dataDir(), StorageOptions.of(config, kind)));
    return new ReplicaStore(config.id(), engine, RowCache.ofBytes(config.rowCacheBytes()), config.syncWrites(),
        ConflictMode.parse(config.conflicts()));
  }

  private static void registerStorageGauges(StoreMetrics metrics, ReplicaStore store) {
    metrics.gauge("ringkv.storage.batches", "Storage engine write batches (group commits)", store.writer()::batchesWritten);
    metrics.gauge("ringkv.storage.updates", "Key updates written through group commit", store.writer()::updatesWritten);
    metrics.gauge("ringkv.storage.queue", "Updates waiting for the storage writer", store.writer()::queued);
    metrics.gauge("ringkv.storage.failed.writes",
        "Storage engine write batches that failed (the node's next version then takes a new actor name)",
        store.writer()::failedWrites);
    RowCache rows = store.rowCache();
    metrics.gauge("ringkv.storage.row.cache.bytes", "Estimated bytes held by the row cache", rows::weightedBytes);
    metrics.gauge("ringkv.storage.row.cache.hits", "Record lookups answered by the row cache", rows::hits);
    metrics.gauge("ringkv.storage.row.cache.misses", "Record lookups that read the storage engine", rows::misses);
    EngineMeters.register(metrics, store.engine());
  }

  /**
   * One coordinator per HTTP instance, deployed right after them: contexts take event loops round
   * robin, so with as many event loops as instances each coordinator lands on an HTTP instance's
   * loop, and that instance reaches it without a thread hop.
   */
  private static Future<String> deployCoordinators(Vertx vertx, Supplier<CoordinatorVerticle> coordinator,
      int instances) {
    return vertx.deployVerticle(coordinator, new DeploymentOptions().setInstances(instances));
  }

  /**
   * Deploys the first HTTP verticle on the configured port (0 = any), then the other instances on
   * the port it actually bound, so they all share one server socket.
   */
  private static Future<Integer> deployHttp(Vertx vertx, HttpApiVerticle.Dependencies api,
      HttpApiVerticle.RouteMount extraRoutes) {
    AtomicInteger bound = new AtomicInteger(api.config().httpPort());
    int instances = api.config().httpInstances();
    return vertx.deployVerticle(new HttpApiVerticle(api, bound.get(), extraRoutes, bound::set))
        .compose(id -> instances <= 1 ? Future.succeededFuture(id)
            : vertx.deployVerticle(() -> new HttpApiVerticle(api, bound.get(), extraRoutes, p -> { }),
                new DeploymentOptions().setInstances(instances - 1)))
        .map(id -> bound.get());
  }

  public String id() {
    return config.id();
  }

  public RingkvConfig config() {
    return config;
  }

  public int httpPort() {
    return httpPort;
  }

  /** "native" (epoll) or "nio", with the reason when native was wanted but did not load. */
  static String transportName(Vertx vertx) {
    if (vertx.isNativeTransportEnabled()) {
      return "native";
    }
    Throwable why = vertx.unavailableNativeTransportCause();
    return why == null ? "nio" : "nio (native unavailable: " + why.getMessage() + ")";
  }

  public Vertx vertx() {
    return vertx;
  }

  /** This node's view of the members and the ring. */
  public ClusterState cluster() {
    return cluster;
  }

  public StoreMetrics metrics() {
    return metrics;
  }

  public ReplicaStore store() {
    return store;
  }

  /** Stops serving, flushes storage and leaves the cluster. */
  public Future<Void> stop() {
    return vertx.close().compose(v -> Future.fromCompletionStage(
        CompletableFuture.runAsync(store::close)));
  }
}
