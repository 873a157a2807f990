package dev.tokenpool.admin;

import dev.tokenpool.jobs.ClusterNodes;
import dev.tokenpool.jobs.JobControl;
import dev.tokenpool.jobs.JobDefinition;
import dev.tokenpool.jobs.JobRunHistory;
import dev.tokenpool.jobs.RunListener;
import dev.tokenpool.jobs.RunOutcome;
import dev.tokenpool.pools.PoolCatalogue;
import dev.tokenpool.tokens.EndReason;
import dev.tokenpool.tokens.PoolCounts;
import dev.tokenpool.tokens.TokenEvents;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's metrics, in one registry that {@code GET /metrics} renders in Prometheus' text
 * format: token events, job runs, pool gauges, JVM. HTTP timings and the connection pool bind to
 * {@link #registry()} themselves.
 */
public final class TokenPoolMetrics implements TokenEvents, RunListener, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(TokenPoolMetrics.class);

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final Counter activations;
  private final Counter evictions;
  private final io.micrometer.core.instrument.Timer eventLag;
  private volatile PoolGauges poolGauges;
  private volatile ClusterGauges clusterGauges;

  public TokenPoolMetrics(String nodeId) {
    registry.config().commonTags("node", nodeId);
    activations =
        Counter.builder("tokenpool.activations")
            .description("Usages opened by activations")
            .register(registry);
    evictions =
        Counter.builder("tokenpool.evictions")
            .description("Activations that took the oldest active token from its holder")
            .register(registry);
    eventLag =
        io.micrometer.core.instrument.Timer.builder("tokenpool.event.lag")
            .description("How long after it happened an event reached this node's streams")
            // Fixed buckets (histogram_quantile in Prometheus): client-side percentiles would need
            // HdrHistogram, which the WAR leaves out.
            .serviceLevelObjectives(
                java.time.Duration.ofMillis(100),
                java.time.Duration.ofMillis(250),
                java.time.Duration.ofMillis(500),
                java.time.Duration.ofSeconds(1),
                java.time.Duration.ofSeconds(3),
                java.time.Duration.ofSeconds(10),
                java.time.Duration.ofSeconds(30))
            .register(registry);
    for (EndReason reason : EndReason.values()) {
      ended(reason); // every reason shows from the start, at zero
    }
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  /**
   * The database's clock minus this node's ({@code tokenpool_clock_offset_seconds}): what the node
   * adds to its own clock to decide as the cluster does; an alert when it passes a second.
   */
  public void bindClockOffset(java.util.function.Supplier<java.time.Duration> offset) {
    Gauge.builder("tokenpool.clock.offset", offset, o -> o.get().toMillis() / 1000.0)
        .description("The database's clock minus this node's")
        .baseUnit("seconds")
        .strongReference(true)
        .register(registry);
  }

  /** Event streams open on this node, and how long after they happened events reach them. */
  public void bindEvents(java.util.function.IntSupplier subscribers) {
    Gauge.builder("tokenpool.event.subscribers", subscribers, s -> s.getAsInt())
        .description("Event streams open on this node")
        .strongReference(true)
        .register(registry);
  }

  /** Records how long after it happened (the database's clock) an event reached its streams. */
  public void eventDelivered(java.time.Duration lag) {
    eventLag.record(lag.isNegative() ? java.time.Duration.ZERO : lag);
  }

  /** Requests waiting for a token on this node (summed over nodes, the cluster's queue). */
  public void bindWaiters(java.util.function.IntSupplier waitingHere) {
    Gauge.builder("tokenpool.waiters", waitingHere, w -> w.getAsInt())
        .description("Activations waiting for a token on this node")
        .strongReference(true)
        .register(registry);
  }

  /**
   * Every pool's gauges, the first {@code limit} pools in name order with series of their own
   * ({@link PoolGauges}).
   */
  public void bindPools(PoolCatalogue pools, int limit) {
    poolGauges = new PoolGauges(registry, pools, limit, System::nanoTime);
  }

  /**
   * The gauges alerts need of the jobs and the cluster ({@link ClusterGauges}), and whether this
   * node is ready.
   */
  public void bindCluster(
      List<JobDefinition> jobs,
      JobControl control,
      JobRunHistory runs,
      ClusterNodes cluster,
      BooleanSupplier ready) {
    clusterGauges =
        new ClusterGauges(registry, jobs, control, runs, cluster, ready, System::nanoTime);
  }

  /** Gauges of the pool, read at most once a second however often it is scraped. */
  public void bindPool(Supplier<PoolCounts> counts) {
    Memo memo = new Memo(counts);
    Gauge.builder("tokenpool.tokens.active", memo, m -> m.get().active())
        .description("Tokens held by an unexpired usage")
        .strongReference(true) // the memo lives only here; a weak reference would let it go
        .register(registry);
    Gauge.builder("tokenpool.tokens.available", memo, m -> m.get().available())
        .description("Tokens free or held by an expired usage")
        .strongReference(true)
        .register(registry);
  }

  @Override
  public void activated(boolean evicted) {
    activations.increment();
    if (evicted) {
      evictions.increment();
    }
  }

  @Override
  public void usagesEnded(EndReason reason, int count) {
    ended(reason).increment(count);
  }

  @Override
  public void runFinished(String job, RunOutcome outcome, Duration duration) {
    Timer.builder("tokenpool.job.runs")
        .description("Job runs on this node, by outcome")
        .tag("job", job)
        .tag("outcome", outcome.name())
        .register(registry)
        .record(duration);
  }

  /** The Prometheus text exposition of every metric. */
  public String scrape() {
    PoolGauges gauges = poolGauges;
    ClusterGauges cluster = clusterGauges;
    try {
      if (gauges != null) {
        gauges.refresh();
      }
      if (cluster != null) {
        cluster.refresh();
      }
    } catch (RuntimeException e) {
      // The last numbers stay; a database that cannot answer shows in the health (and in
      // tokenpool_ready), not here.
      log.warn("Could not read the pools or the jobs for /metrics: {}", e.toString());
    }
    return registry.scrape();
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }

  private Counter ended(EndReason reason) {
    return Counter.builder("tokenpool.usages.ended")
        .description("Usages ended, by reason")
        .tag("reason", reason.name())
        .register(registry);
  }

  /** Keeps one reading of the pool counts for a second. */
  private static final class Memo {
    private final Supplier<PoolCounts> source;
    private PoolCounts value;
    private long readAt;

    Memo(Supplier<PoolCounts> source) {
      this.source = source;
    }

    synchronized PoolCounts get() {
      long now = System.nanoTime();
      if (value == null || now - readAt > 1_000_000_000L) {
        value = source.get();
        readAt = now;
      }
      return value;
    }
  }
}
