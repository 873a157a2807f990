package dev.tokenpool.admin;

import dev.tokenpool.jobs.ExpireTokensJob;
import dev.tokenpool.jobs.JobControl;
import dev.tokenpool.jobs.JobPlatform;
import dev.tokenpool.jobs.JobRunHistory;
import dev.tokenpool.jobs.JobState;
import dev.tokenpool.jobs.JobStatus;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The node's health rules for load balancers: database reachable, scheduler running, expiry job
 * succeeding somewhere in the cluster. Cheap to poll every second: the answer is kept for a second,
 * and every probe of the database runs through {@link DeadlineProbes}, so a hung database makes the
 * check answer DOWN in two seconds instead of hanging it.
 */
public final class HealthCheck implements AutoCloseable {

  /** The expiry job may go this many intervals without a success before the node is unhealthy. */
  static final int MISSED_INTERVALS = 3;

  private static final int KINDS = 3; // database, job-state, job-runs

  private static final Duration CACHE = Duration.ofSeconds(1);
  private static final Duration DEADLINE = Duration.ofSeconds(2);

  private final String nodeId;
  private final DataSource dataSource;
  private final JobPlatform platform;
  private final JobControl jobs;
  private final JobRunHistory runs;
  private final Clock clock;
  private final boolean schedulerEnabled;
  private final Instant startedAt;

  private final DeadlineProbes probes = new DeadlineProbes(KINDS, DEADLINE, "tokenpool-health");

  private Health cached;
  private long cachedAt;
  private Health cachedReadiness;
  private long cachedReadinessAt;

  private final Draining draining;

  public HealthCheck(
      String nodeId,
      DataSource dataSource,
      JobPlatform platform,
      JobControl jobs,
      JobRunHistory runs,
      Clock clock,
      boolean schedulerEnabled) {
    this.nodeId = nodeId;
    this.dataSource = dataSource;
    this.platform = platform;
    this.jobs = jobs;
    this.runs = runs;
    this.clock = clock;
    this.schedulerEnabled = schedulerEnabled;
    this.startedAt = clock.instant();
    this.draining = new Draining(clock);
  }

  /** One check's verdict and why. */
  public record Check(boolean up, String detail) {}

  /** The node's verdict: up only if every check is. */
  public record Health(boolean up, String nodeId, Map<String, Check> checks) {}

  public synchronized Health current() {
    long now = System.nanoTime();
    if (cached == null || now - cachedAt > CACHE.toNanos()) {
      cached = evaluate();
      cachedAt = System.nanoTime();
    }
    return cached;
  }

  /**
   * Whether this node can serve requests: the database check alone, evaluated at most once a
   * second. The scheduler and the cluster-wide expiry job do not count: a load balancer that took
   * every node out because the job stalled (a frozen node holding it, say) would refuse requests
   * any node could serve; and a balancer asking twice a second costs the database a ping, not the
   * job store's queries.
   */
  public synchronized Health readiness() {
    long now = System.nanoTime();
    if (cachedReadiness == null || now - cachedReadinessAt > CACHE.toNanos()) {
      Check database = database();
      cachedReadiness = new Health(database.up(), nodeId, Map.of("database", database));
      cachedReadinessAt = System.nanoTime();
    }
    // Draining is decided at once, never from the cache: a balancer must see it at its next check.
    Optional<Instant> drainingSince = draining.since();
    if (drainingSince.isPresent()) {
      Map<String, Check> checks = new LinkedHashMap<>(cachedReadiness.checks());
      checks.put("draining", new Check(false, "draining since " + drainingSince.get()));
      return new Health(false, nodeId, checks);
    }
    return cachedReadiness;
  }

  /** This node's draining, which {@link #readiness()} answers first. */
  public Draining draining() {
    return draining;
  }

  private Health evaluate() {
    Map<String, Check> checks = new LinkedHashMap<>();
    Check database = database();
    checks.put("database", database);
    checks.put("scheduler", scheduler());
    checks.put(
        "expire_tokens_job",
        database.up() ? expiryJob() : new Check(false, "unknown: the database is unreachable"));
    boolean up = checks.values().stream().allMatch(Check::up);
    return new Health(up, nodeId, checks);
  }

  private Check database() {
    try {
      boolean valid =
          probes.probe(
              "database",
              () -> {
                try (Connection connection = dataSource.getConnection()) {
                  return connection.isValid((int) DEADLINE.toSeconds());
                }
              });
      return valid ? new Check(true, "reachable") : new Check(false, "connection not valid");
    } catch (Exception e) {
      return new Check(false, "unreachable: " + probes.describe(e));
    }
  }

  private Check scheduler() {
    if (platform.running()) {
      return new Check(true, "running");
    }
    return schedulerEnabled
        ? new Check(false, "not running")
        : new Check(
            true,
            "standby: this node runs no jobs (TOKENPOOL_SCHEDULER_ENABLED=false, or its clock is"
                + " more than 5 s off the database's: see its log)");
  }

  private Check expiryJob() {
    try {
      JobStatus job = probes.probe("job-state", () -> jobs.status(ExpireTokensJob.NAME));
      if (job.state() == JobState.PAUSED) {
        return new Check(true, "paused");
      }
      Instant lastSuccess =
          probes.probe("job-runs", () -> runs.lastSuccess(ExpireTokensJob.NAME)).orElse(null);
      Instant since =
          lastSuccess == null || lastSuccess.isBefore(startedAt) ? startedAt : lastSuccess;
      Duration allowed = job.interval().multipliedBy(MISSED_INTERVALS);
      Duration quiet = Duration.between(since, clock.instant());
      String last = lastSuccess == null ? "no successful run yet" : "last success " + lastSuccess;
      return quiet.compareTo(allowed) <= 0
          ? new Check(true, last)
          : new Check(false, last + ", more than " + MISSED_INTERVALS + " intervals ago");
    } catch (Exception e) {
      return new Check(false, "unknown: " + probes.describe(e));
    }
  }

  @Override
  public void close() {
    probes.close();
  }
}
