package dev.tokenpool.jobs;

import java.time.Clock;

/**
 * An expiry pass on demand ({@link #releaseExpiredNow()}): the same work as a scheduled run of
 * {@link ExpireTokensJob}, run on this node outside the scheduler and recorded as a manual run.
 */
public final class TokenExpiry {

  private final JobRunner runner;
  private final JobDefinition expiryJob;
  private final Clock clock;

  TokenExpiry(JobRunner runner, JobDefinition expiryJob, Clock clock) {
    this.runner = runner;
    this.expiryJob = expiryJob;
    this.clock = clock;
  }

  /**
   * Runs a pass now and returns how many usages it ended. Safe beside a scheduled pass on any node:
   * each usage ends once.
   */
  public int releaseExpiredNow() {
    return runner.run(RunStart.direct(expiryJob.name(), clock.instant()), expiryJob.handler());
  }
}
