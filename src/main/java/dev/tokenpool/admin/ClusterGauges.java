package dev.tokenpool.admin;

import dev.tokenpool.jobs.ClusterNode;
import dev.tokenpool.jobs.ClusterNodes;
import dev.tokenpool.jobs.JobControl;
import dev.tokenpool.jobs.JobDefinition;
import dev.tokenpool.jobs.JobRunHistory;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * What alerts need of the cluster, as gauges (deploy/prometheus/alerts.yml): each job's last
 * successful run on any node ({@code tokenpool_job_last_success_timestamp_seconds{job_name}}) and
 * whether it is paused ({@code tokenpool_job_paused{job_name}}), the cluster's scheduler nodes
 * alive and dead ({@code tokenpool_cluster_nodes{state}}), and whether this node is ready ({@code
 * tokenpool_ready}). The same on every node but the last; read at most every {@link #REFRESH}, at a
 * scrape.
 */
final class ClusterGauges {

  static final Duration REFRESH = Duration.ofSeconds(5);

  private final List<JobDefinition> jobs;
  private final JobControl control;
  private final JobRunHistory runs;
  private final ClusterNodes cluster;
  private final LongSupplier nanoTime;
  private final Map<String, Double> values = new ConcurrentHashMap<>();
  private long readAt;
  private boolean read;

  ClusterGauges(
      MeterRegistry registry,
      List<JobDefinition> jobs,
      JobControl control,
      JobRunHistory runs,
      ClusterNodes cluster,
      BooleanSupplier ready,
      LongSupplier nanoTime) {
    this.jobs = jobs;
    this.control = control;
    this.runs = runs;
    this.cluster = cluster;
    this.nanoTime = nanoTime;
    for (JobDefinition job : jobs) {
      // The tag is job_name, not job: Prometheus's own job label (the scrape job) would rename it.
      gauge(
          registry,
          "tokenpool.job.last.success.timestamp",
          "job_name",
          job.name(),
          "When the job last ran successfully, on any node (seconds since the epoch; 0: never)",
          "seconds");
      gauge(
          registry,
          "tokenpool.job.paused",
          "job_name",
          job.name(),
          "1 while the job is paused cluster-wide",
          null);
    }
    for (String state : List.of("alive", "dead")) {
      gauge(
          registry,
          "tokenpool.cluster.nodes",
          "state",
          state,
          "Scheduler nodes in the cluster's check-in table, alive or taken for dead",
          null);
    }
    Gauge.builder("tokenpool.ready", ready, r -> r.getAsBoolean() ? 1 : 0)
        .description("1 while this node's /health/ready answers 200")
        .strongReference(true)
        .register(registry);
  }

  private void gauge(
      MeterRegistry registry,
      String name,
      String tag,
      String value,
      String description,
      String baseUnit) {
    String key = name + "|" + value;
    values.putIfAbsent(key, 0.0);
    Gauge.builder(name, values, v -> v.getOrDefault(key, 0.0))
        .description(description)
        .tag(tag, value)
        .baseUnit(baseUnit)
        .strongReference(true)
        .register(registry);
  }

  /** Reads the jobs and the cluster again if the last read is older than {@link #REFRESH}. */
  synchronized void refresh() {
    long now = nanoTime.getAsLong();
    if (read && now - readAt < REFRESH.toNanos()) {
      return;
    }
    readAt = now;
    read = true;
    for (JobDefinition job : jobs) {
      values.put(
          "tokenpool.job.last.success.timestamp|" + job.name(),
          runs.lastSuccess(job.name()).map(ClusterGauges::seconds).orElse(0.0));
      values.put("tokenpool.job.paused|" + job.name(), control.paused(job.name()) ? 1.0 : 0.0);
    }
    List<ClusterNode> nodes = cluster.all();
    long alive = nodes.stream().filter(ClusterNode::alive).count();
    values.put("tokenpool.cluster.nodes|alive", (double) alive);
    values.put("tokenpool.cluster.nodes|dead", (double) (nodes.size() - alive));
  }

  private static double seconds(Instant at) {
    return at.toEpochMilli() / 1000.0;
  }
}
