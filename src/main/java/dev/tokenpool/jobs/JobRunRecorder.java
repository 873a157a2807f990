package dev.tokenpool.jobs;

import dev.tokenpool.persistence.Transactions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import org.hibernate.StatelessSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Persists every job run: a RUNNING row when it starts, its outcome when it ends. Each start also
 * closes the runs of the same job that can no longer finish: scheduled runs whose fire Quartz no
 * longer lists as executing (their node died and the cluster recovered the fire). A direct run
 * (expire-now, JMX) has no such trace, and API-only nodes never check in to the cluster, so a
 * direct run is closed by its own node's next start, or once it has run longer than
 * {@link #DIRECT_RUN_LIMIT}.
 */
final class JobRunRecorder {

  private static final Logger log = LoggerFactory.getLogger(JobRunRecorder.class);
  static final String DIRECT_RUN_PREFIX = "direct-";
  private static final int MAX_ERROR_LENGTH = 2000;
  /** Far longer than any pass takes (100,000 releases take about 10 s). */
  static final Duration DIRECT_RUN_LIMIT = Duration.ofHours(1);

  private final Transactions transactions;
  private final JobRunRepository repository;
  private final Clock clock;
  private final String nodeId;

  JobRunRecorder(Transactions transactions, JobRunRepository repository, Clock clock, String nodeId) {
    this.transactions = transactions;
    this.repository = repository;
    this.clock = clock;
    this.nodeId = nodeId;
  }

  String nodeId() {
    return nodeId;
  }

  void started(RunStart start) {
    transactions.retrying(
        session -> {
          closeAbandoned(session, start.jobName(), start.fireInstanceId());
          repository.insert(session, new JobRun(start, nodeId, now()));
          return null;
        });
  }

  /**
   * Closes the direct runs this node id left RUNNING when it stopped without finishing them: at
   * this node's start nothing of its own can still be running.
   */
  void closeOwnLeftovers() {
    int closed =
        transactions.retrying(
            session ->
                repository.closeRunningDirectRuns(
                    session, nodeId, now(), "abandoned: node " + nodeId + " restarted before the run finished"));
    if (closed > 0) {
      log.warn("Closed {} direct run(s) that node {} left running before it restarted", closed, nodeId);
    }
  }

  void succeeded(String fireInstanceId) {
    transactions.retrying(
        session -> {
          repository.finish(session, fireInstanceId, RunOutcome.SUCCESS, now(), null);
          return null;
        });
  }

  void failed(String fireInstanceId, Throwable failure) {
    String error = describe(failure);
    transactions.retrying(
        session -> {
          repository.finish(session, fireInstanceId, RunOutcome.FAILED, now(), error);
          return null;
        });
  }

  /** Counts usages a run ended; call inside the transaction that ended them. */
  void addReleased(StatelessSession session, String fireInstanceId, int count) {
    repository.addReleased(session, fireInstanceId, count);
  }

  private void closeAbandoned(StatelessSession session, String jobName, String currentFire) {
    List<JobRun> running = repository.running(session, jobName);
    if (running.isEmpty()) {
      return;
    }
    Set<String> executing = repository.executingFires(session);
    Instant now = now();
    for (JobRun run : running) {
      String fire = run.fireInstanceId();
      if (fire.equals(currentFire)) {
        continue;
      }
      String error = null;
      if (!fire.startsWith(DIRECT_RUN_PREFIX)) {
        if (!executing.contains(fire)) {
          error = "abandoned: node " + run.nodeId() + " stopped before the run finished";
        }
      } else if (run.startedAt().plus(DIRECT_RUN_LIMIT).isBefore(now)) {
        error = "abandoned: still running on node " + run.nodeId() + " after " + DIRECT_RUN_LIMIT.toHours() + " h";
      }
      if (error != null) {
        repository.finish(session, fire, RunOutcome.FAILED, now, error);
        log.warn("Run {} of {} on node {} was abandoned", fire, jobName, run.nodeId());
      }
    }
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  private static String describe(Throwable failure) {
    StringBuilder text = new StringBuilder(failure.toString());
    for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
      text.append("; caused by ").append(cause);
    }
    return text.length() <= MAX_ERROR_LENGTH ? text.toString() : text.substring(0, MAX_ERROR_LENGTH);
  }
}
