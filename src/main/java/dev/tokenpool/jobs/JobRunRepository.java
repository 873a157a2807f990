package dev.tokenpool.jobs;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.hibernate.StatelessSession;

/** Statements on {@code job_runs}, and the Quartz cluster tables they are checked against. */
final class JobRunRepository {

  static final String SCHEDULER_NAME = "tokenpool";

  void insert(StatelessSession session, JobRun run) {
    session.insert(run);
  }

  /**
   * Records how a run ended and what it released. It applies whatever the recorded outcome: a run
   * that another node declared abandoned while this node was frozen still reports its real end when
   * it resumes.
   */
  void finish(
      StatelessSession session,
      String fireInstanceId,
      RunOutcome outcome,
      Instant finishedAt,
      String error,
      int released) {
    session
        .createMutationQuery(
            "update JobRun set outcome = :outcome, finishedAt = :finishedAt, error = :error,"
                + " released = :released where fireInstanceId = :fire")
        .setParameter("outcome", outcome.name())
        .setParameter("finishedAt", finishedAt)
        .setParameter("error", error)
        .setParameter("released", released)
        .setParameter("fire", fireInstanceId)
        .executeUpdate();
  }

  /** Closes a run that can no longer finish, as FAILED with the reason. */
  void abandon(StatelessSession session, String fireInstanceId, Instant finishedAt, String reason) {
    session
        .createMutationQuery(
            "update JobRun set outcome = 'FAILED', finishedAt = :finishedAt, error = :error"
                + " where fireInstanceId = :fire")
        .setParameter("finishedAt", finishedAt)
        .setParameter("error", reason)
        .setParameter("fire", fireInstanceId)
        .executeUpdate();
  }

  List<JobRun> running(StatelessSession session, String jobName) {
    return session
        .createSelectionQuery(
            "from JobRun where outcome = 'RUNNING' and jobName = :job", JobRun.class)
        .setParameter("job", jobName)
        .getResultList();
  }

  /** A scheduler node's row in Quartz's check-in table. */
  record CheckIn(String nodeId, Instant last, Duration interval) {}

  /** Every scheduler node that has checked in and not stopped cleanly since. */
  List<CheckIn> checkIns(StatelessSession session) {
    List<Object[]> rows =
        session
            .createNativeQuery(
                "SELECT INSTANCE_NAME, LAST_CHECKIN_TIME, CHECKIN_INTERVAL FROM QRTZ_SCHEDULER_STATE"
                    + " WHERE SCHED_NAME = :scheduler",
                Object[].class)
            .setParameter("scheduler", SCHEDULER_NAME)
            .getResultList();
    return rows.stream()
        .map(
            row ->
                new CheckIn(
                    String.valueOf(row[0]),
                    Instant.ofEpochMilli(((Number) row[1]).longValue()),
                    Duration.ofMillis(((Number) row[2]).longValue())))
        .toList();
  }

  /** Fire instance ids Quartz still lists as executing, anywhere in the cluster. */
  Set<String> executingFires(StatelessSession session) {
    return quartzColumn(session, "SELECT ENTRY_ID FROM QRTZ_FIRED_TRIGGERS");
  }

  /** Closes a node's direct runs that are still RUNNING; returns how many. */
  int closeRunningDirectRuns(
      StatelessSession session, String nodeId, Instant finishedAt, String error) {
    return session
        .createMutationQuery(
            "update JobRun set outcome = 'FAILED', finishedAt = :finishedAt, error = :error"
                + " where nodeId = :node and outcome = 'RUNNING' and fireInstanceId like :direct")
        .setParameter("finishedAt", finishedAt)
        .setParameter("error", error)
        .setParameter("node", nodeId)
        .setParameter("direct", RunStart.DIRECT_RUN_PREFIX + "%")
        .executeUpdate();
  }

  private static Set<String> quartzColumn(StatelessSession session, String select) {
    List<?> values =
        session
            .createNativeQuery(select + " WHERE SCHED_NAME = :scheduler", String.class)
            .setParameter("scheduler", SCHEDULER_NAME)
            .getResultList();
    Set<String> result = new HashSet<>();
    values.forEach(value -> result.add(String.valueOf(value)));
    return result;
  }

  Instant lastSuccess(StatelessSession session, String jobName) {
    return session
        .createSelectionQuery(
            "select max(finishedAt) from JobRun where outcome = 'SUCCESS' and jobName = :job",
            Instant.class)
        .setParameter("job", jobName)
        .getSingleResult();
  }

  /** Newest first, optionally of one job. */
  List<JobRun> latest(StatelessSession session, String jobName, int limit) {
    String where = jobName == null ? "" : " where jobName = :job";
    var query =
        session
            .createSelectionQuery("from JobRun" + where + " order by id desc", JobRun.class)
            .setMaxResults(limit);
    if (jobName != null) {
      query.setParameter("job", jobName);
    }
    return query.getResultList();
  }

  int deleteStartedBefore(StatelessSession session, Instant cutoff, int limit) {
    List<Long> ids =
        session
            .createSelectionQuery(
                "select id from JobRun where startedAt < :cutoff and outcome <> 'RUNNING'"
                    + " order by id",
                Long.class)
            .setParameter("cutoff", cutoff)
            .setMaxResults(limit)
            .getResultList();
    if (ids.isEmpty()) {
      return 0;
    }
    return session
        .createMutationQuery("delete from JobRun where id in (:ids)")
        .setParameter("ids", ids)
        .executeUpdate();
  }
}
