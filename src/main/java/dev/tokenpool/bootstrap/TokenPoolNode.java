package dev.tokenpool.bootstrap;

import dev.tokenpool.admin.HealthCheck;
import dev.tokenpool.admin.JmxExporter;
import dev.tokenpool.admin.OperatorSessions;
import dev.tokenpool.admin.TokenPoolMetrics;
import dev.tokenpool.config.ClientSettings;
import dev.tokenpool.config.PoolSettings;
import dev.tokenpool.config.SchedulerSettings;
import dev.tokenpool.config.TokenPoolConfig;
import dev.tokenpool.events.EventRelay;
import dev.tokenpool.jobs.JobRun;
import dev.tokenpool.jobs.Jobs;
import dev.tokenpool.persistence.Database;
import dev.tokenpool.persistence.DatabaseClock;
import dev.tokenpool.persistence.SchemaMigrator;
import dev.tokenpool.persistence.SessionFactories;
import dev.tokenpool.persistence.Transactions;
import dev.tokenpool.pools.PoolCatalogue;
import dev.tokenpool.pools.PoolDirectory;
import dev.tokenpool.security.ApiKeys;
import dev.tokenpool.security.AuditLog;
import dev.tokenpool.security.ClientAuthenticator;
import dev.tokenpool.security.JwtVerifier;
import dev.tokenpool.security.SerialFilter;
import dev.tokenpool.tokens.PoolSizer;
import dev.tokenpool.tokens.RecentActivity;
import dev.tokenpool.tokens.Token;
import dev.tokenpool.tokens.TokenService;
import dev.tokenpool.tokens.Usage;
import dev.tokenpool.tokens.WaitingRoom;
import dev.tokenpool.tracing.Tracing;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.hibernate.SessionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running tokenpool node: the whole object graph, wired by hand in {@link #start}, and closed
 * in reverse order. This is the only place that decides which object gets which collaborator.
 */
public final class TokenPoolNode implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(TokenPoolNode.class);

  private final AtomicBoolean closed = new AtomicBoolean();
  private final TokenPoolConfig config;
  private final Database database;
  private final SessionFactory sessionFactory;
  private final TokenService tokenService;
  private final Transactions transactions;
  private final PoolDirectory pools;
  private final PoolCatalogue catalogue;
  private final WaitingRoom waitingRoom;
  private final EventRelay events;
  private final RecentActivity recentActivity;
  private final Jobs jobs;
  private final JmxExporter jmx;
  private final TokenPoolMetrics metrics;
  private final HealthCheck health;
  private final ApiKeys apiKeys;
  private final OperatorSessions sessions;
  private final ClientAuthenticator clients;
  private final AuditLog audit;
  private final Tracing tracing;

  /** How far off the database's clock a node's may be and still run the clustered scheduler. */
  public static final Duration SCHEDULING_OFFSET_LIMIT = Duration.ofSeconds(5);

  /** What else stops with the node: the database clock's refresher, when it has one. */
  private AutoCloseable clockRefresher = () -> {};

  private TokenPoolNode(
      TokenPoolConfig config,
      Database database,
      SessionFactory sessionFactory,
      TokenService tokenService,
      Transactions transactions,
      PoolDirectory pools,
      PoolCatalogue catalogue,
      WaitingRoom waitingRoom,
      EventRelay events,
      RecentActivity recentActivity,
      Jobs jobs,
      JmxExporter jmx,
      TokenPoolMetrics metrics,
      HealthCheck health,
      ApiKeys apiKeys,
      OperatorSessions sessions,
      ClientAuthenticator clients,
      AuditLog audit,
      Tracing tracing) {
    this.config = config;
    this.database = database;
    this.sessionFactory = sessionFactory;
    this.tokenService = tokenService;
    this.transactions = transactions;
    this.pools = pools;
    this.catalogue = catalogue;
    this.waitingRoom = waitingRoom;
    this.events = events;
    this.recentActivity = recentActivity;
    this.jobs = jobs;
    this.jmx = jmx;
    this.metrics = metrics;
    this.health = health;
    this.apiKeys = apiKeys;
    this.sessions = sessions;
    this.clients = clients;
    this.audit = audit;
    this.tracing = tracing;
  }

  /**
   * Starts a node that decides every question of time by the database server's clock (MySQL,
   * MariaDB: every node of a cluster reads the same server, so a node whose own clock is wrong
   * decides as the others do), or by this host's with embedded H2, whose server is this JVM.
   */
  public static TokenPoolNode start(TokenPoolConfig config, Database database) {
    return start(config, database, Tracing.off());
  }

  /**
   * {@link #start(TokenPoolConfig, Database)} with this tracing, which the node then owns: it stops
   * it last, after everything that could still end a span.
   */
  public static TokenPoolNode start(TokenPoolConfig config, Database database, Tracing tracing) {
    if (!database.vendor().isMySqlFamily()) {
      return start(config, database, Clock.systemUTC(), config.scheduler(), tracing);
    }
    DatabaseClock clock;
    try {
      clock = DatabaseClock.start(database.dataSource(), Clock.systemUTC());
    } catch (RuntimeException e) {
      database.close();
      tracing.close();
      throw e;
    }
    try {
      SchedulerSettings scheduling = config.scheduler();
      Duration offset = clock.measurement().offset().abs();
      if (scheduling.enabled() && offset.compareTo(SCHEDULING_OFFSET_LIMIT) > 0) {
        // Quartz's cluster compares node clocks (a check-in 7.5 s late is a failed node), so a
        // node this far off would fire early or late and take live nodes for dead ones.
        log.error(
            "This node's clock is {} ms off the database's, more than {} s: it serves requests"
                + " (deciding by the database's clock) but runs no jobs until it restarts with a"
                + " synchronised clock",
            offset.toMillis(),
            SCHEDULING_OFFSET_LIMIT.toSeconds());
        scheduling = scheduling.inStandby();
      }
      TokenPoolNode node = start(config, database, clock, scheduling, tracing);
      node.metrics.bindClockOffset(() -> clock.measurement().offset());
      node.clockRefresher = clock;
      return node;
    } catch (RuntimeException | Error e) {
      clock.close();
      throw e;
    }
  }

  /**
   * Migrates the schema, makes the pool the configured size and builds the services, deciding by
   * the given clock. On failure everything opened so far is closed again before the exception
   * propagates.
   */
  public static TokenPoolNode start(TokenPoolConfig config, Database database, Clock anyClock) {
    return start(config, database, anyClock, config.scheduler(), Tracing.off());
  }

  private static TokenPoolNode start(
      TokenPoolConfig config,
      Database database,
      Clock anyClock,
      SchedulerSettings scheduling,
      Tracing tracing) {
    SerialFilter.install();
    // One time source for the node, in whole milliseconds: what every supported database stores
    // exactly and what clients read easily, so no caller truncates on its own (or forgets to).
    Clock clock = Clock.tick(anyClock, Duration.ofMillis(1));
    SessionFactory sessionFactory = null;
    TokenPoolMetrics metrics = new TokenPoolMetrics(config.nodeId());
    Jobs jobs = null;
    WaitingRoom waitingRoom = null;
    EventRelay events = null;
    // Hibernate's boot reads no table, so it runs while Flyway migrates: they are the two
    // slowest steps of a start (docs/performance.md).
    CompletableFuture<SessionFactory> booting =
        CompletableFuture.supplyAsync(
            () ->
                SessionFactories.build(
                    database,
                    tracing.connections(database.dataSource()),
                    List.of(Token.class, Usage.class, JobRun.class)),
            command -> new Thread(command, "tokenpool-hibernate-boot").start());
    try {
      try {
        new SchemaMigrator(database, config.database()).migrate();
      } finally {
        sessionFactory = awaitBoot(booting);
      }
      database.bindMetrics(metrics.registry());
      PoolSettings pool = config.pool();
      Transactions transactions = new Transactions(sessionFactory, pool.requestDeadline());
      PoolDirectory pools =
          new PoolDirectory(
              transactions, clock, pool.leaseMin(), metrics, tracing::pool, System::nanoTime);
      PoolCatalogue catalogue =
          new PoolCatalogue(transactions, clock, new PoolSizer(transactions), pools);
      catalogue.ensureDefault(pool);
      catalogue.reconcileAll();
      // The default pool's service, for what is not one pool's (the expiry job, JMX).
      TokenService tokenService = pools.defaultPool().tokens();
      metrics.bindPool(tokenService::counts);
      metrics.bindPools(catalogue, pool.metricsPools());
      waitingRoom =
          WaitingRoom.open(tokenService, transactions, clock, config.nodeId(), pool.maxWait());
      metrics.bindWaiters(waitingRoom::waitingHere);
      events =
          EventRelay.start(
              transactions,
              clock,
              database.vendor().isMySqlFamily(),
              pool.eventRetention(),
              metrics::eventDelivered);
      metrics.bindEvents(events::subscribers);
      jobs =
          Jobs.start(
              config.nodeId(),
              scheduling,
              database,
              transactions,
              tokenService,
              catalogue,
              clock,
              metrics,
              tracing.jobRuns());
      ClientSettings clientSettings = config.clients();
      ApiKeys apiKeys =
          new ApiKeys(transactions, clock, clientSettings.apiKeyCache(), System::nanoTime);
      if (clientSettings.oidc().isEmpty() && config.database().url().isEmpty()) {
        InitialApiKey.ensure(apiKeys, clientSettings.initialApiKeyFile());
      }
      ClientAuthenticator clients =
          new ClientAuthenticator(
              apiKeys::authenticate,
              clientSettings.oidc().map(oidc -> new JwtVerifier(oidc, clock)));
      AuditLog audit = new AuditLog();
      JmxExporter jmx =
          JmxExporter.export(
              config.nodeId(),
              () -> pools.defaultPool().tokens(),
              waitingRoom,
              events,
              jobs,
              apiKeys,
              catalogue,
              pool,
              audit);
      HealthCheck health =
          new HealthCheck(
              config.nodeId(),
              database.dataSource(),
              jobs.platform(),
              jobs.control(),
              jobs.history(),
              clock,
              scheduling.enabled());
      metrics.bindCluster(
          jobs.catalogue().all(),
          jobs.control(),
          jobs.history(),
          jobs.cluster(),
          () -> health.readiness().up());
      log.info("Node {} started: {}", config.nodeId(), config);
      return new TokenPoolNode(
          config,
          database,
          sessionFactory,
          tokenService,
          transactions,
          pools,
          catalogue,
          waitingRoom,
          events,
          new RecentActivity(transactions, clock),
          jobs,
          jmx,
          metrics,
          health,
          apiKeys,
          new OperatorSessions(transactions, clock, System::nanoTime),
          clients,
          audit,
          tracing);
    } catch (RuntimeException | Error e) {
      if (events != null) {
        events.close();
      }
      if (waitingRoom != null) {
        waitingRoom.close();
      }
      if (jobs != null) {
        jobs.close();
      }
      if (sessionFactory != null) {
        sessionFactory.close();
      }
      metrics.close();
      database.close();
      tracing.close();
      throw e;
    }
  }

  /** The session factory once Hibernate has booted; its failure as thrown in Hibernate's thread. */
  private static SessionFactory awaitBoot(CompletableFuture<SessionFactory> booting) {
    try {
      return booting.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      if (e.getCause() instanceof Error cause) {
        throw cause;
      }
      throw e;
    }
  }

  public TokenPoolConfig config() {
    return config;
  }

  public TokenService tokenService() {
    return tokenService;
  }

  /** The node's short transactions on its database. */
  public Transactions transactions() {
    return transactions;
  }

  /** This node's view of the pools. */
  public PoolDirectory pools() {
    return pools;
  }

  /** The pools' lifecycle. */
  public PoolCatalogue catalogue() {
    return catalogue;
  }

  public EventRelay events() {
    return events;
  }

  public WaitingRoom waitingRoom() {
    return waitingRoom;
  }

  public RecentActivity recentActivity() {
    return recentActivity;
  }

  public Jobs jobs() {
    return jobs;
  }

  public TokenPoolMetrics metrics() {
    return metrics;
  }

  public HealthCheck health() {
    return health;
  }

  public ApiKeys apiKeys() {
    return apiKeys;
  }

  public OperatorSessions sessions() {
    return sessions;
  }

  public ClientAuthenticator clients() {
    return clients;
  }

  public AuditLog audit() {
    return audit;
  }

  /** The node's tracing: its server span filter and route naming go in front of the API. */
  public Tracing tracing() {
    return tracing;
  }

  /**
   * Closes everything, each part even if an earlier one failed, in reverse order of start. Once: a
   * second call does nothing.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    RuntimeException failure = null;
    for (AutoCloseable part :
        new AutoCloseable[] {
          events,
          waitingRoom,
          health,
          jmx,
          jobs,
          sessionFactory::close,
          metrics,
          clockRefresher,
          database,
          tracing
        }) {
      try {
        part.close();
      } catch (Exception e) {
        if (failure == null) {
          failure =
              new IllegalStateException("Node " + config.nodeId() + " did not stop cleanly", e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    log.info("Node {} stopped", config.nodeId());
    if (failure != null) {
      throw failure;
    }
  }
}
