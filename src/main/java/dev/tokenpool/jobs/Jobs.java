package dev.tokenpool.jobs;

import dev.tokenpool.config.SchedulerSettings;
import dev.tokenpool.persistence.Database;
import dev.tokenpool.persistence.Transactions;
import dev.tokenpool.pools.PoolCatalogue;
import dev.tokenpool.tokens.TokenService;
import java.time.Clock;

/**
 * The job platform of one node, assembled: the catalogue of jobs (every {@link JobKind} listed in
 * {@code META-INF/services/dev.tokenpool.jobs.JobKind}, each defined from the node's services), the
 * runner that records their runs, the run history, and the running scheduler. Adding a job adds
 * nothing here.
 */
public final class Jobs implements AutoCloseable {

  private final JobCatalogue catalogue;
  private final TokenExpiry expiry;
  private final JobRunHistory history;
  private final JobPlatform platform;
  private final JobControl control;
  private final ClusterNodes cluster;

  private Jobs(
      JobCatalogue catalogue,
      TokenExpiry expiry,
      JobRunHistory history,
      JobPlatform platform,
      ClusterNodes cluster) {
    this.catalogue = catalogue;
    this.expiry = expiry;
    this.history = history;
    this.platform = platform;
    this.control = new JobControl(catalogue, platform.scheduler(), history);
    this.cluster = cluster;
  }

  /**
   * Builds the jobs and this node's scheduler, which runs jobs when the settings enable it and
   * otherwise stays in standby (it can still pause, resume and trigger them).
   */
  public static Jobs start(
      String nodeId,
      SchedulerSettings settings,
      Database database,
      Transactions transactions,
      TokenService tokens,
      PoolCatalogue pools,
      Clock clock,
      RunListener runListener,
      RunSpans runSpans) {
    JobRunRepository runs = new JobRunRepository();
    RunRecords records = new RunRecords(transactions, runs, clock, nodeId);
    records.closeLeftBehind();
    JobContext context =
        new JobContext(settings, database, transactions, tokens, pools, clock, runs);
    JobCatalogue catalogue =
        new JobCatalogue(JobKind.listed().stream().map(kind -> kind.define(context)).toList());
    JobRunner runner = new JobRunner(records, runListener, runSpans);
    JobPlatform platform =
        JobPlatform.start(
            nodeId, settings, database, catalogue, new TokenPoolJobFactory(catalogue, runner));
    return new Jobs(
        catalogue,
        new TokenExpiry(runner, catalogue.named(ExpireTokensJob.NAME), clock),
        new JobRunHistory(transactions, runs, catalogue),
        platform,
        new ClusterNodes(transactions, runs, clock));
  }

  public JobCatalogue catalogue() {
    return catalogue;
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

  /** The cluster's scheduler nodes, from the shared job store. */
  public ClusterNodes cluster() {
    return cluster;
  }

  /** This node's scheduler: running, or in standby on an API-only node. */
  public JobPlatform platform() {
    return platform;
  }

  @Override
  public void close() {
    platform.close();
  }
}
