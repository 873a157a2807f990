package dev.tokenpool.jobs;

import org.quartz.DisallowConcurrentExecution;

/**
 * The seed's periodic check, as a clustered job: ends every expired usage. One execution at a
 * time in the whole cluster; the release protocol makes even an overlapping one (a manual pass, or
 * a node wrongly declared dead) harmless, since a usage can end only once.
 */
@DisallowConcurrentExecution
public final class ExpireTokensJob extends RecordedJob {

  public static final String NAME = "expire-tokens";

  private final TokenExpiry expiry;

  ExpireTokensJob(RecordedExecution execution, JobDefinition definition, TokenExpiry expiry) {
    super(execution, definition);
    this.expiry = expiry;
  }

  @Override
  int perform(String fireInstanceId) {
    return expiry.sweep(fireInstanceId);
  }
}
