package dev.tokenpool.jobs;

import dev.tokenpool.persistence.Transactions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.hibernate.StatelessSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes, as FAILED, the runs that can no longer finish. A scheduled run is abandoned when Quartz
 * no longer lists its fire as executing (its node died and the cluster recovered the fire). A
 * direct run (expire-now, JMX) has no such trace, and API-only nodes never check in to the
 * cluster, so a direct run is closed by its own node's next start, or once it has run longer than
 * {@link #DIRECT_RUN_LIMIT}.
 */
final class AbandonedRuns {

  private static final Logger log = LoggerFactory.getLogger(AbandonedRuns.class);

  /** Far longer than any pass takes (100,000 releases take about 10 s). */
  static final Duration DIRECT_RUN_LIMIT = Duration.ofHours(1);

  private final Transactions transactions;
  private final JobRunRepository repository;
  private final Clock clock;

  AbandonedRuns(Transactions transactions, JobRunRepository repository, Clock clock) {
    this.transactions = transactions;
    this.repository = repository;
    this.clock = clock;
  }

  /** Closes the job's abandoned runs other than {@code currentFire}, in the caller's transaction. */
  void closeOthers(StatelessSession session, String jobName, String currentFire) {
    Instant now = clock.instant();
    List<JobRun> running = repository.running(session, jobName);
    if (running.isEmpty()) {
      return;
    }
    Set<String> executing = repository.executingFires(session);
    for (JobRun run : running) {
      String fire = run.fireInstanceId();
      String reason = fire.equals(currentFire) ? null : reason(run, executing, now);
      if (reason != null) {
        repository.abandon(session, fire, now, reason);
        log.warn("Run {} of {} on node {} was abandoned", fire, jobName, run.nodeId());
      }
    }
  }

  /**
   * Closes the direct runs {@code nodeId} left RUNNING when it stopped without finishing them: at
   * this node's start nothing of its own can still be running.
   */
  void closeLeftBehindBy(String nodeId) {
    int closed =
        transactions.retrying(
            session ->
                repository.closeRunningDirectRuns(
                    session,
                    nodeId,
                    clock.instant(),
                    "abandoned: node " + nodeId + " restarted before the run finished"));
    if (closed > 0) {
      log.warn(
          "Closed {} direct run(s) that node {} left running before it restarted", closed, nodeId);
    }
  }

  private static String reason(JobRun run, Set<String> executing, Instant now) {
    if (!RunStart.isDirect(run.fireInstanceId())) {
      return executing.contains(run.fireInstanceId())
          ? null
          : "abandoned: node " + run.nodeId() + " stopped before the run finished";
    }
    return run.startedAt().plus(DIRECT_RUN_LIMIT).isBefore(now)
        ? "abandoned: still running on node "
            + run.nodeId()
            + " after "
            + DIRECT_RUN_LIMIT.toHours()
            + " h"
        : null;
  }
}
