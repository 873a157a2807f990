package dev.tokenpool.jobs;

import dev.tokenpool.config.TokenPoolConfig;
import dev.tokenpool.persistence.Database;
import dev.tokenpool.persistence.Transactions;
import dev.tokenpool.tokens.TokenService;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.quartz.Job;

/**
 * The job platform of one node, assembled: the catalogue of jobs (declared here, in one place),
 * the objects that run them, the run history, and the running scheduler. Adding a job means one
 * definition and one entry in {@link #start}.
 */
public final class Jobs implements AutoCloseable {

  private final TokenExpiry expiry;
  private final JobRunHistory history;
  private final JobPlatform platform;
  private final JobControl control;

  private Jobs(TokenExpiry expiry, JobRunHistory history, JobPlatform platform) {
    this.expiry = expiry;
    this.history = history;
    this.platform = platform;
    this.control = new JobControl(platform, history);
  }

  /** The jobs every node registers, with the intervals configured. */
  public static List<JobDefinition> catalogue(TokenPoolConfig config) {
    return List.of(
        new JobDefinition(
            ExpireTokensJob.NAME,
            "Ends every token usage held past its lifetime",
            ExpireTokensJob.class,
            config.expiryInterval(),
            true),
        new JobDefinition(
            PruneJobRunsJob.NAME,
            "Deletes job run history older than " + config.runRetention(),
            PruneJobRunsJob.class,
            config.pruneInterval(),
            true));
  }

  /**
   * Builds the jobs and this node's scheduler, which runs jobs when {@code runScheduler} is set
   * and otherwise stays in standby (it can still pause, resume and trigger them).
   */
  public static Jobs start(
      TokenPoolConfig config,
      Database database,
      Transactions transactions,
      TokenService tokens,
      Clock clock,
      boolean runScheduler,
      RunListener runListener) {
    List<JobDefinition> catalogue = catalogue(config);
    JobRunRepository runs = new JobRunRepository();
    JobRunRecorder recorder = new JobRunRecorder(transactions, runs, clock, config.nodeId());
    recorder.closeOwnLeftovers();
    RecordedExecution execution = new RecordedExecution(recorder, runListener);
    TokenExpiry expiry =
        new TokenExpiry(tokens, recorder, execution, clock, config.expiryRunDelay());
    Map<Class<? extends Job>, Job> jobObjects = new LinkedHashMap<>();
    jobObjects.put(
        ExpireTokensJob.class, new ExpireTokensJob(execution, definition(catalogue, ExpireTokensJob.NAME), expiry));
    jobObjects.put(
        PruneJobRunsJob.class,
        new PruneJobRunsJob(
            execution,
            definition(catalogue, PruneJobRunsJob.NAME),
            transactions,
            runs,
            clock,
            config.runRetention()));
    Set<String> names = catalogue.stream().map(JobDefinition::name).collect(Collectors.toSet());
    JobRunHistory history = new JobRunHistory(transactions, runs, names);
    JobPlatform platform =
        JobPlatform.start(
            config, database, catalogue, new TokenPoolJobFactory(jobObjects), runScheduler);
    return new Jobs(expiry, history, platform);
  }

  public TokenExpiry expiry() {
    return expiry;
  }

  public JobRunHistory history() {
    return history;
  }

  public JobControl control() {
    return control;
  }

  /** This node's scheduler: running, or in standby on an API-only node. */
  public JobPlatform platform() {
    return platform;
  }

  @Override
  public void close() {
    platform.close();
  }

  private static JobDefinition definition(List<JobDefinition> catalogue, String name) {
    return catalogue.stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow();
  }
}
