package dev.tokenpool.jobs;

import dev.tokenpool.persistence.DatabaseUnavailableException;
import dev.tokenpool.persistence.TransientFailures;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleTrigger;
import org.quartz.Trigger;
import org.quartz.impl.matchers.GroupMatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Steers the platform's jobs for admins. Every change goes to the shared job store, so it acts on
 * the whole cluster and survives restarts: a pause is the job's trigger group recorded as paused, a
 * trigger is a one-off trigger that exactly one node fires (also while paused: the pause stops the
 * schedule, not the admin), a new interval is the job's trigger replaced, marked as the operator's
 * (so no node's setting replaces it) and paused still if the job was.
 */
public final class JobControl {

  private static final Logger log = LoggerFactory.getLogger(JobControl.class);

  private final JobCatalogue catalogue;
  private final Scheduler scheduler;
  private final JobRunHistory history;

  JobControl(JobCatalogue catalogue, Scheduler scheduler, JobRunHistory history) {
    this.catalogue = catalogue;
    this.scheduler = scheduler;
    this.history = history;
  }

  public List<JobStatus> all() {
    return catalogue.all().stream().map(this::status).toList();
  }

  /**
   * @throws UnknownJobException if no job has this name
   */
  public JobStatus status(String name) {
    return status(catalogue.named(name));
  }

  public void pause(String name) {
    JobDefinition job = catalogue.named(name);
    quartz(() -> scheduler.pauseTriggers(GroupMatcher.triggerGroupEquals(job.triggerGroup())));
    log.info("Job {} paused", name);
  }

  public void resume(String name) {
    JobDefinition job = catalogue.named(name);
    quartz(() -> scheduler.resumeTriggers(GroupMatcher.triggerGroupEquals(job.triggerGroup())));
    log.info("Job {} resumed", name);
  }

  /** Asks the cluster for one run now; some node runs it, recorded as manual. */
  public void triggerNow(String name) {
    JobDefinition job = catalogue.named(name);
    quartz(() -> scheduler.triggerJob(job.jobKey()));
    log.info("Job {} triggered by hand", name);
  }

  /**
   * Runs the job every {@code interval} from now on, on the whole cluster, across restarts. The
   * next run comes no later than it would have, and no later than one new interval from now.
   *
   * @throws UnknownJobException if no job has this name
   * @throws IllegalArgumentException if the interval is outside the job's {@link IntervalRule}
   */
  public JobStatus reschedule(String name, Duration interval, String operator) {
    JobDefinition job = catalogue.named(name);
    job.intervalRule().check(interval);
    replaceSchedule(job, interval, ScheduleOrigin.operator(operator, Instant.now()));
    log.info("Job {} runs every {} from now on, set by {}", name, interval, operator);
    return status(job);
  }

  /**
   * Gives the job back to its setting: the interval this node was started with, replaced again by
   * the next node that starts with another.
   *
   * @throws UnknownJobException if no job has this name
   */
  public JobStatus resetSchedule(String name, String operator) {
    JobDefinition job = catalogue.named(name);
    replaceSchedule(job, job.interval(), ScheduleOrigin.setting(Instant.now()));
    log.info(
        "Job {} runs every {} again, its setting {} on node reset by {}",
        name,
        job.interval(),
        job.intervalRule().setting(),
        operator);
    return status(job);
  }

  private void replaceSchedule(JobDefinition job, Duration interval, ScheduleOrigin origin) {
    // Quartz fires by each node's system clock, so the start is counted by it too.
    Instant now = Instant.now();
    quartz(
        () -> {
          Trigger stored = scheduler.getTrigger(job.triggerKey());
          Instant start = now.plus(interval);
          if (stored != null
              && stored.getNextFireTime() != null
              && stored.getNextFireTime().toInstant().isBefore(start)) {
            start = stored.getNextFireTime().toInstant();
          }
          Trigger replacement =
              JobRegistrar.trigger(
                  job, interval, origin, Date.from(start.isBefore(now) ? now : start));
          if (stored == null || scheduler.rescheduleJob(job.triggerKey(), replacement) == null) {
            scheduler.scheduleJob(replacement);
          }
        });
  }

  /** Whether the job's schedule is paused. */
  public boolean paused(String name) {
    return status(name).state() == JobState.PAUSED;
  }

  private JobStatus status(JobDefinition job) {
    try {
      Trigger trigger = scheduler.getTrigger(job.triggerKey());
      JobState state =
          trigger == null ? JobState.NONE : state(scheduler.getTriggerState(job.triggerKey()));
      Optional<JobRunView> last = history.latest(Optional.of(job.name()), 1).stream().findFirst();
      Optional<ScheduleOrigin> origin = Optional.ofNullable(trigger).map(ScheduleOrigin::of);
      return new JobStatus(
          job.name(),
          job.description(),
          state,
          // The stored trigger's interval: the cluster's truth, whatever this node was given.
          trigger instanceof SimpleTrigger simple
              ? Duration.ofMillis(simple.getRepeatInterval())
              : job.interval(),
          origin.map(ScheduleOrigin::setBy).orElse(ScheduleOrigin.SETTING),
          origin.flatMap(ScheduleOrigin::setAt).orElse(null),
          trigger == null ? null : instant(trigger.getNextFireTime()),
          trigger == null ? null : instant(trigger.getPreviousFireTime()),
          history.runningOn(job.name()),
          last.map(JobRunView::outcome).orElse(null),
          last.map(JobRunView::released).orElse(null),
          last.map(JobRunView::finishedAt).orElse(null),
          last.filter(run -> run.finishedAt() != null)
              .map(run -> Duration.between(run.startedAt(), run.finishedAt()))
              .orElse(null));
    } catch (SchedulerException e) {
      throw failure("Cannot read the state of job " + job.name(), e);
    }
  }

  private static JobState state(Trigger.TriggerState state) {
    return switch (state) {
      case NORMAL -> JobState.NORMAL;
      case PAUSED -> JobState.PAUSED;
      case BLOCKED -> JobState.BLOCKED;
      case ERROR -> JobState.ERROR;
      case COMPLETE, NONE -> JobState.NONE;
    };
  }

  private static Instant instant(Date date) {
    return date == null ? null : date.toInstant();
  }

  private interface QuartzCall {
    void run() throws SchedulerException;
  }

  private static void quartz(QuartzCall call) {
    try {
      call.run();
    } catch (SchedulerException e) {
      throw failure("The job store refused the change", e);
    }
  }

  /** A job store that cannot be reached is the database being unavailable, not a bug. */
  private static RuntimeException failure(String what, SchedulerException e) {
    return TransientFailures.isUnreachable(e)
        ? new DatabaseUnavailableException(e)
        : new IllegalStateException(what + ": " + e, e);
  }
}
