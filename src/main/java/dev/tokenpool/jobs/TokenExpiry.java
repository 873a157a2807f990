package dev.tokenpool.jobs;

import dev.tokenpool.tokens.TokenService;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The expiry pass: ends every expired usage, accounting each batch to the run that ended it. It
 * runs on the schedule ({@link ExpireTokensJob}) and on demand ({@link #releaseExpiredNow()},
 * the seed's {@code check_and_release_expired}).
 */
public final class TokenExpiry {

  private static final Logger log = LoggerFactory.getLogger(TokenExpiry.class);

  private final TokenService tokens;
  private final JobRunRecorder recorder;
  private final RecordedExecution execution;
  private final Clock clock;
  private final Duration runDelay;

  TokenExpiry(
      TokenService tokens,
      JobRunRecorder recorder,
      RecordedExecution execution,
      Clock clock,
      Duration runDelay) {
    this.tokens = tokens;
    this.recorder = recorder;
    this.execution = execution;
    this.clock = clock;
    this.runDelay = runDelay;
  }

  /**
   * Runs a pass now, on this node, outside the scheduler, records it as a manual run, and returns
   * how many usages it ended. Safe beside a scheduled pass on any node: each usage ends once.
   */
  public int releaseExpiredNow() {
    RunStart start =
        new RunStart(
            ExpireTokensJob.NAME,
            JobRunRecorder.DIRECT_RUN_PREFIX + UUID.randomUUID(),
            null,
            clock.instant().truncatedTo(ChronoUnit.MILLIS),
            true,
            false);
    return execution.run(start, this::sweep);
  }

  /** One pass for the run {@code fireInstanceId}; returns the usages it ended. */
  int sweep(String fireInstanceId) {
    holdForDrill(fireInstanceId);
    int released =
        tokens.releaseExpired(
            fireInstanceId, (session, count) -> recorder.addReleased(session, fireInstanceId, count));
    if (released > 0) {
      log.info("Released {} expired token(s) in run {}", released, fireInstanceId);
    } else {
      log.debug("No expired tokens in run {}", fireInstanceId);
    }
    return released;
  }

  private void holdForDrill(String fireInstanceId) {
    if (runDelay.isZero()) {
      return;
    }
    log.info("Run {} holds {} before ending anything (TOKENPOOL_EXPIRY_RUN_DELAY)", fireInstanceId, runDelay);
    try {
      Thread.sleep(runDelay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while holding run " + fireInstanceId, e);
    }
  }
}
