package io.ringkv.node;

import io.ringkv.antientropy.AntiEntropyVerticle;
import io.ringkv.api.AntiEntropyRoutes;
import io.ringkv.api.ClusterRoutes;
import io.ringkv.api.FaultRoutes;
import io.ringkv.api.HttpApiVerticle;
import io.ringkv.api.MembershipRoutes;
import io.ringkv.cluster.ClusterState;
import io.ringkv.cluster.FaultInjection;
import io.ringkv.cluster.HintStatus;
import io.ringkv.cluster.MemberInfo;
import io.ringkv.cluster.MembershipTable;
import io.ringkv.config.ConfigException;
import io.ringkv.config.RingkvConfig;
import io.ringkv.coordinator.CoordinatorVerticle;
import io.ringkv.fault.EventBusFaults;
import io.ringkv.feed.FeedPublisher;
import io.ringkv.feed.FeedRoutes;
import io.ringkv.messaging.Addresses;
import io.ringkv.gossip.GossipVerticle;
import io.ringkv.membership.MembershipVerticle;
import io.ringkv.membership.TransferBoard;
import io.ringkv.merkle.PartitionTrees;
import io.ringkv.merkle.TreeShape;
import io.ringkv.messaging.AntiEntropyReplica;
import io.ringkv.messaging.Codecs;
import io.ringkv.messaging.LocalCoordinators;
import io.ringkv.metrics.StoreMetrics;
import io.ringkv.ring.Membership;
import io.ringkv.ring.RingState;
import io.ringkv.storage.HintStore;
import io.ringkv.storage.HintedHandoffVerticle;
import io.ringkv.storage.LocalAntiEntropy;
import io.ringkv.storage.LocalReplica;
import io.ringkv.storage.ReplicaStore;
import io.ringkv.storage.RowCache;
import io.ringkv.storage.SiblingLimits;
import io.ringkv.storage.StorageEngine;
import io.ringkv.storage.StorageEngines;
import io.ringkv.storage.StorageOptions;
import io.ringkv.storage.StorageVerticle;
import io.ringkv.storage.TransferVerticle;
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
  private final NodeSecurity security;
  private final Promise<Void> ready = Promise.promise();

  private RingkvNode(RingkvConfig config, Vertx vertx, ClusterState cluster, StoreMetrics metrics, ReplicaStore store,
      int httpPort, NodeSecurity security) {
    this.security = security;
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
    NodeSecurity security;
    try {
      config.requireFitsHeap(Runtime.getRuntime().maxMemory());
      security = NodeSecurity.open(config.security());
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
        .setEventBusOptions(NodeSecurity.eventBus(config.security(),
            new EventBusOptions().setHost(config.host()).setClusterPublicHost(config.advertisedHost())));
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
      boot(vertx, config, registryName, engineDecorator, security).onComplete(booted -> {
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
      UnaryOperator<StorageEngine> engineDecorator, NodeSecurity security) {
    Codecs.registerAll(vertx.eventBus());
    StoreMetrics metrics = new StoreMetrics(BackendRegistries.getNow(registryName));
    return vertx.executeBlocking(() -> openStore(config, engineDecorator))
        .compose(store -> wire(vertx, config, registryName, metrics, store, security)
            .recover(err -> vertx.executeBlocking(() -> {
              store.close();
              return null;
            }).transform(ignored -> Future.failedFuture(err))));
  }

  /** Deploys the verticles on an open store, each given exactly what it uses. */
  private static Future<RingkvNode> wire(Vertx vertx, RingkvConfig config, String registryName, StoreMetrics metrics,
      ReplicaStore store, NodeSecurity security) {
    StorageGauges.register(metrics, store);
    // The trees follow every write from here on, before any verticle can send one.
    AntiEntropyReplica trees = new LocalAntiEntropy(store, new PartitionTrees(
        new TreeShape(config.treeFanout(), config.treeDepth()), config.partitions()));
    Clock clock = Clock.systemUTC();
    NodeRecords records = new NodeRecords(store.engine(), config.partitions());
    return vertx.executeBlocking(() -> ClusterBootstrap.open(config, records, metrics, clock))
        .compose(cluster -> deploy(vertx, config, registryName, metrics, store, trees, records, cluster, clock,
            security));
  }

  private static Future<RingkvNode> deploy(Vertx vertx, RingkvConfig config, String registryName,
      StoreMetrics metrics, ReplicaStore store, AntiEntropyReplica trees, NodeRecords records, ClusterState cluster,
      Clock clock, NodeSecurity security) {
    AtomicBoolean ready = new AtomicBoolean();
    LocalCoordinators coordinators = new LocalCoordinators(config.id());
    LocalReplica replica = new LocalReplica(store);
    HttpApiVerticle.Dependencies api = new HttpApiVerticle.Dependencies(config, metrics, registryName, coordinators,
        ready::get, security.authenticator());
    TransferBoard transfers = new TransferBoard(cluster);
    ClusterRoutes clusterRoutes = new ClusterRoutes(config, cluster, clock, () -> hintStatus(store),
        () -> cluster.ringState() == null ? List.of() : transfers.moving(cluster.ringState()));
    FaultInjection faults = new FaultInjection(config.faultInjection());
    EventBusFaults.install(vertx, config.id(), faults);
    FaultRoutes faultRoutes = new FaultRoutes(faults);
    MembershipRoutes membershipRoutes = new MembershipRoutes(config.id());
    AntiEntropyRoutes antiEntropyRoutes = new AntiEntropyRoutes(config.id());
    renewActorIfRejoining(config, store, cluster, clock);
    String feedEvents = Addresses.feedEvents(config.multiDc() ? config.dc() : null);
    FeedPublisher feed = new FeedPublisher(vertx, feedEvents);
    boolean clustered = !"none".equals(config.join());
    return vertx.deployVerticle(new StorageVerticle(config.id(), replica))
        .compose(id -> vertx.deployVerticle(new AntiEntropyVerticle(config, cluster, trees, clock, metrics)))
        .compose(id -> deployHttp(vertx, api, (v, router) -> {
          faultRoutes.mount(router);
          membershipRoutes.mount(router);
          antiEntropyRoutes.mount(router);
          clusterRoutes.mount(router);
          FeedRoutes.mount(v, router, metrics, feedEvents, security.authenticator(),
              config.security().headerTimeoutMs());
        }))
        .compose(port -> deployCoordinators(vertx, () -> new CoordinatorVerticle(config, cluster, replica, feed,
            metrics, clock, coordinators), config.httpInstances()).map(port))
        .compose(port -> {
          MembershipTable membership = cluster.membership();
          membership.updateSelf(membership.self().withHttpPort(port));
          Future<?> background = clustered ? deployClusterDuties(vertx, config, cluster, store, records, transfers,
              clock, metrics) : Future.succeededFuture();
          return background.compose(ignored -> persistMembers(vertx, records, membership.digest())).map(ignored -> port);
        })
        .map(port -> {
          RingkvNode node = new RingkvNode(config, vertx, cluster, metrics, store, port, security);
          // Ready once serving and a ring member: a new node becomes ready when its join has
          // finished, so a cluster whose nodes are all ready can meet every quorum it could ever meet.
          Runnable markReady = () -> {
            if (hasJoined(cluster) && ready.compareAndSet(false, true)) {
              LOG.info("ringkv node " + config.id() + " ready http=" + port + " storage=" + store.engine().name()
                  + " transport=" + transportName(vertx) + " actor=" + store.actor()
                  + (store.previousShutdownClean() ? "" : " (new actor name: the last shutdown was not clean)"));
              node.ready.tryComplete();
            }
          };
          cluster.onRing(r -> markReady.run());
          markReady.run();
          return node;
        });
  }

  /**
   * Whether this node knows the ring and owns (or owned) partitions in it. A node outside the
   * agreed ring ({@code waiting}) or still copying its share ({@code joining}) is not ready yet.
   */
  private static boolean hasJoined(ClusterState cluster) {
    if (!cluster.hasRing()) {
      return false;
    }
    RingState ring = cluster.ringState();
    Membership state = ring == null ? Membership.MEMBER : ring.membership(cluster.selfId());
    return state != null && state != Membership.JOINING;
  }

  /**
   * A node whose store is new but that the ring it learns already lists as a member had its data
   * dir wiped: the other replicas still hold versions with dots it made in its earlier life, and
   * its counters start again from zero. Its next dots take an actor name no earlier life used
   * (see {@link ReplicaStore#renewActorFrom}), so none of them can collide with an old one.
   */
  private static void renewActorIfRejoining(RingkvConfig config, ReplicaStore store, ClusterState cluster,
      Clock clock) {
    if (!store.isNew() || cluster.hasRing()) {
      return;
    }
    AtomicBoolean decided = new AtomicBoolean();
    cluster.onRing(ring -> {
      if (decided.compareAndSet(false, true) && ring.membership(config.id()) != null) {
        LOG.warning("node " + config.id() + " starts with an empty data dir but is a ring member: its data comes back"
            + " through anti-entropy, and its new versions carry a new actor name");
        store.renewActorFrom(clock.millis());
      }
    });
  }

  /** Gossip, ring membership, hinted handoff and partition transfers: what only a clustered node runs. */
  private static Future<?> deployClusterDuties(Vertx vertx, RingkvConfig config, ClusterState cluster,
      ReplicaStore store, NodeRecords records, TransferBoard transfers, Clock clock, StoreMetrics metrics) {
    return vertx.deployVerticle(new GossipVerticle(config, cluster, clock, metrics,
            members -> persistMembers(vertx, records, members)))
        .compose(id -> vertx.deployVerticle(new MembershipVerticle(config, cluster, records, transfers,
            () -> !store.holdsAnyData())))
        .compose(id -> vertx.deployVerticle(new HintedHandoffVerticle(store.hints(), cluster, clock,
            config.handoffKeysPerSecond(), config.requestTimeoutMs(), config.tombstoneGraceMs())))
        .compose(id -> vertx.deployVerticle(new TransferVerticle(cluster, store, clock,
            config.transferBytesPerSecond(), config.requestTimeoutMs())));
  }

  private static HintStatus hintStatus(ReplicaStore store) {
    HintStore hints = store.hints();
    return new HintStatus(hints.pending(), hints.pendingBytes(), hints.delivered(), hints.dropped());
  }

  private static Future<Void> persistMembers(Vertx vertx, NodeRecords records, List<MemberInfo> members) {
    return vertx.executeBlocking(() -> {
      records.saveMembers(members);
      return null;
    });
  }

  private static ReplicaStore openStore(RingkvConfig config, UnaryOperator<StorageEngine> engineDecorator)
      throws IOException {
    Files.createDirectories(config.dataDir());
    String kind = StorageEngines.resolve(config.dataDir(), config.engine());
    StorageEngine engine = engineDecorator.apply(StorageEngines.open(config.dataDir(), StorageOptions.of(config, kind)));
    return new ReplicaStore(config.id(), engine, RowCache.ofBytes(config.rowCacheBytes()), config.syncWrites(),
        ConflictMode.parse(config.conflicts()), new SiblingLimits(config.siblingsWarn(), config.maxSiblings()),
        config.maxHintBytes());
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

  /** Completes when {@code /ready} turns 200: the node serves and its join (if any) has finished. */
  public Future<Void> ready() {
    return ready.future();
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

  /** Reads the token file again (SIGHUP); a bad file keeps the tokens in force (-1), else the new count. */
  public int reloadTokens() {
    return security.reload();
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
