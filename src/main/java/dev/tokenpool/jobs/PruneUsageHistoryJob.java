package dev.tokenpool.jobs;

import dev.tokenpool.tokens.HistoryRetention;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes token usages that ended longer ago than the history retention, a thousand per
 * transaction; the tokens' usage counts keep them. It releases no token, so its runs report none.
 */
public final class PruneUsageHistoryJob implements JobHandler {

  public static final String NAME = "prune-usage-history";
  private static final Logger log = LoggerFactory.getLogger(PruneUsageHistoryJob.class);
  private static final int BATCH_SIZE = 1000;

  private final HistoryRetention history;
  private final Clock clock;
  private final Duration retention;

  /** Every {@code TOKENPOOL_PRUNE_INTERVAL}, beside the run history's pruning. */
  public static final class Kind implements JobKind {
    @Override
    public JobDefinition define(JobContext context) {
      Duration retention = context.settings().historyRetention();
      return new JobDefinition(
          NAME,
          "Deletes token usages ended more than " + retention + " ago (usage counts keep them)",
          context.settings().pruneInterval(),
          PruneJobRunsJob.PRUNE_RULE,
          true,
          new PruneUsageHistoryJob(
              new HistoryRetention(context.transactions(), context.database().vendor()),
              context.clock(),
              retention));
    }
  }

  PruneUsageHistoryJob(HistoryRetention history, Clock clock, Duration retention) {
    this.history = history;
    this.clock = clock;
    this.retention = retention;
  }

  @Override
  public void run(String fireInstanceId, IntConsumer counted) {
    Instant cutoff = clock.instant().minus(retention);
    long pruned = history.pruneEndedBefore(cutoff, BATCH_SIZE);
    if (pruned > 0) {
      log.info("Pruned {} usage(s) ended before {}", pruned, cutoff);
    }
  }
}
