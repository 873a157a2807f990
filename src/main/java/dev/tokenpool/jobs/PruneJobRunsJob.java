package dev.tokenpool.jobs;

import dev.tokenpool.persistence.Transactions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.quartz.DisallowConcurrentExecution;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Deletes job run history older than the retention, a thousand rows per transaction. */
@DisallowConcurrentExecution
public final class PruneJobRunsJob extends RecordedJob {

  public static final String NAME = "prune-job-runs";
  private static final Logger log = LoggerFactory.getLogger(PruneJobRunsJob.class);
  private static final int BATCH_SIZE = 1000;

  private final Transactions transactions;
  private final JobRunRepository repository;
  private final Clock clock;
  private final Duration retention;

  PruneJobRunsJob(
      RecordedExecution execution,
      JobDefinition definition,
      Transactions transactions,
      JobRunRepository repository,
      Clock clock,
      Duration retention) {
    super(execution, definition);
    this.transactions = transactions;
    this.repository = repository;
    this.clock = clock;
    this.retention = retention;
  }

  @Override
  int perform(String fireInstanceId) {
    Instant cutoff = clock.instant().minus(retention);
    int pruned = 0;
    int batch;
    do {
      batch = transactions.retrying(session -> repository.deleteStartedBefore(session, cutoff, BATCH_SIZE));
      pruned += batch;
    } while (batch == BATCH_SIZE);
    if (pruned > 0) {
      log.info("Pruned {} job run(s) started before {}", pruned, cutoff);
    }
    return pruned;
  }
}
