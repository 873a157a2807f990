package dev.tokenpool.jobs;

import dev.tokenpool.config.SchedulerSettings;
import dev.tokenpool.pools.PoolCatalogue;
import java.time.Duration;
import java.util.function.IntConsumer;

/**
 * Finishes resizes cut short: a node that died between writing a pool's new size and bringing its
 * tokens to it leaves the pool with more or fewer live tokens than its size, and this brings every
 * such pool to its size (growing, or retiring without evicting). One grouped read when nothing is
 * left to do. Its runs count the pools it brought to size.
 */
public final class ReconcilePoolsJob implements JobHandler {

  public static final String NAME = "reconcile-pools";

  /** Every minute at first; there is no setting: an operator changes it at runtime. */
  static final Duration INTERVAL = Duration.ofMinutes(1);

  /** Every minute, within the bounds of every job's interval. */
  public static final class Kind implements JobKind {
    @Override
    public JobDefinition define(JobContext context) {
      return new JobDefinition(
          NAME,
          "Brings every pool whose resize was cut short to its size",
          INTERVAL,
          new IntervalRule(
              "its built-in default",
              SchedulerSettings.MIN_JOB_INTERVAL,
              SchedulerSettings.MAX_PRUNE_INTERVAL),
          false,
          new ReconcilePoolsJob(context.pools()));
    }
  }

  private final PoolCatalogue pools;

  ReconcilePoolsJob(PoolCatalogue pools) {
    this.pools = pools;
  }

  @Override
  public void run(String fireInstanceId, IntConsumer counted) {
    counted.accept(pools.reconcileAll());
  }
}
