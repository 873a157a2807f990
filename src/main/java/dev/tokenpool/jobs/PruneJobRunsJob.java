package dev.tokenpool.jobs;

import dev.tokenpool.config.SchedulerSettings;
import dev.tokenpool.persistence.Transactions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes job run history older than the retention, a thousand rows per transaction. It releases no
 * token, so its runs report none.
 */
public final class PruneJobRunsJob implements JobHandler {

  public static final String NAME = "prune-job-runs";
  private static final Logger log = LoggerFactory.getLogger(PruneJobRunsJob.class);
  private static final int BATCH_SIZE = 1000;

  private final Transactions transactions;
  private final JobRunRepository repository;
  private final Clock clock;
  private final Duration retention;

  /** Every {@code TOKENPOOL_PRUNE_INTERVAL}, recovered on another node when its node dies. */
  public static final class Kind implements JobKind {
    @Override
    public JobDefinition define(JobContext context) {
      SchedulerSettings settings = context.settings();
      return new JobDefinition(
          NAME,
          "Deletes job run history older than " + settings.runRetention(),
          settings.pruneInterval(),
          PRUNE_RULE,
          true,
          new PruneJobRunsJob(
              context.transactions(), context.runs(), context.clock(), settings.runRetention()));
    }
  }

  /** The intervals of both pruning jobs: they share {@code TOKENPOOL_PRUNE_INTERVAL}. */
  static final IntervalRule PRUNE_RULE =
      new IntervalRule(
          SchedulerSettings.PRUNE_INTERVAL,
          SchedulerSettings.MIN_JOB_INTERVAL,
          SchedulerSettings.MAX_PRUNE_INTERVAL);

  PruneJobRunsJob(
      Transactions transactions, JobRunRepository repository, Clock clock, Duration retention) {
    this.transactions = transactions;
    this.repository = repository;
    this.clock = clock;
    this.retention = retention;
  }

  @Override
  public void run(String fireInstanceId, IntConsumer counted) {
    Instant cutoff = clock.instant().minus(retention);
    int pruned = 0;
    int batch;
    do {
      batch =
          transactions.retrying(
              session -> repository.deleteStartedBefore(session, cutoff, BATCH_SIZE));
      pruned += batch;
    } while (batch == BATCH_SIZE);
    if (pruned > 0) {
      log.info("Pruned {} job run(s) started before {}", pruned, cutoff);
    }
  }
}
