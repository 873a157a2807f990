package dev.tokenpool.jobs;

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
