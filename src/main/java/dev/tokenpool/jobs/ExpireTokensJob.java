package dev.tokenpool.jobs;

import dev.tokenpool.config.SchedulerSettings;
import dev.tokenpool.tokens.TokenService;
import java.time.Duration;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The expiry job's work: ends every expired usage, each batch stamped with the run that ended it.
 * It runs on the schedule and on demand ({@link TokenExpiry#releaseExpiredNow()}); an overlapping
 * pass (a manual one, or a node wrongly declared dead) is harmless, since a usage can end only
 * once.
 */
public final class ExpireTokensJob implements JobHandler {

  public static final String NAME = "expire-tokens";
  private static final Logger log = LoggerFactory.getLogger(ExpireTokensJob.class);

  private final TokenService tokens;
  private final Duration runDelay;

  /** Every {@code TOKENPOOL_EXPIRY_INTERVAL}, recovered on another node when its node dies. */
  public static final class Kind implements JobKind {
    @Override
    public JobDefinition define(JobContext context) {
      return new JobDefinition(
          NAME,
          "Ends every token usage held past its lifetime",
          context.settings().expiryInterval(),
          new IntervalRule(
              SchedulerSettings.EXPIRY_INTERVAL,
              SchedulerSettings.MIN_JOB_INTERVAL,
              SchedulerSettings.MAX_EXPIRY_INTERVAL),
          true,
          new ExpireTokensJob(context.tokens(), context.settings().expiryRunDelay()));
    }
  }

  ExpireTokensJob(TokenService tokens, Duration runDelay) {
    this.tokens = tokens;
    this.runDelay = runDelay;
  }

  @Override
  public void run(String fireInstanceId, IntConsumer released) {
    holdForDrill(fireInstanceId);
    int ended = tokens.releaseExpired(fireInstanceId, released);
    if (ended > 0) {
      log.info("Released {} expired token(s) in run {}", ended, fireInstanceId);
    } else {
      log.debug("No expired tokens in run {}", fireInstanceId);
    }
  }

  private void holdForDrill(String fireInstanceId) {
    if (runDelay.isZero()) {
      return;
    }
    log.info(
        "Run {} holds {} before ending anything (TOKENPOOL_EXPIRY_RUN_DELAY)",
        fireInstanceId,
        runDelay);
    try {
      Thread.sleep(runDelay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while holding run " + fireInstanceId, e);
    }
  }
}
