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
 * Writes this node's job runs into {@code job_runs}: a RUNNING row when a run starts, its outcome
 * when it ends. A start also closes, as FAILED, the runs of the same job that can no longer finish:
 * scheduled runs whose fire Quartz no longer lists as executing (their node died and the cluster
 * recovered the fire). A direct run (expire-now, JMX) has no such trace, and API-only nodes never
 * check in to the cluster, so a direct run is closed by its own node's next start ({@link
 * #closeLeftBehind()}), or once it has run longer than {@link #DIRECT_RUN_LIMIT}.
 */
final class RunRecords {

  private static final Logger log = LoggerFactory.getLogger(RunRecords.class);

  /** Far longer than any pass takes (100,000 releases take about 10 s). */
  static final Duration DIRECT_RUN_LIMIT = Duration.ofHours(1);

  private final Transactions transactions;
  private final JobRunRepository repository;
  private final Clock clock;
  private final String nodeId;

  RunRecords(Transactions transactions, JobRunRepository repository, Clock clock, String nodeId) {
    this.transactions = transactions;
    this.repository = repository;
    this.clock = clock;
    this.nodeId = nodeId;
  }

  void started(RunStart start) {
    transactions.retrying(
        session -> {
          closeAbandoned(session, start.jobName(), start.fireInstanceId());
          repository.insert(session, new JobRun(start, nodeId, clock.instant()));
          return null;
        });
  }

  void finished(String fireInstanceId, RunOutcome outcome, String error, int released) {
    transactions.retrying(
        session -> {
          repository.finish(session, fireInstanceId, outcome, clock.instant(), error, released);
          return null;
        });
  }

  /**
   * Closes the direct runs this node id left RUNNING when it stopped without finishing them: at
   * this node's start nothing of its own can still be running.
   */
  void closeLeftBehind() {
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

  private void closeAbandoned(StatelessSession session, String jobName, String currentFire) {
    List<JobRun> running = repository.running(session, jobName);
    if (running.isEmpty()) {
      return;
    }
    Set<String> executing = repository.executingFires(session);
    Instant now = clock.instant();
    for (JobRun run : running) {
      String fire = run.fireInstanceId();
      String reason = fire.equals(currentFire) ? null : abandonedBecause(run, executing, now);
      if (reason != null) {
        repository.abandon(session, fire, now, reason);
        log.warn("Run {} of {} on node {} was abandoned", fire, jobName, run.nodeId());
      }
    }
  }

  /** Why the run can no longer finish, or null while it still can. */
  private static String abandonedBecause(JobRun run, Set<String> executing, Instant now) {
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
