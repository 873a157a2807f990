package dev.tokenpool.jobs;

import static org.quartz.JobBuilder.newJob;
import static org.quartz.SimpleScheduleBuilder.simpleSchedule;
import static org.quartz.TriggerBuilder.newTrigger;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.quartz.JobDetail;
import org.quartz.ObjectAlreadyExistsException;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleTrigger;
import org.quartz.Trigger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the platform's jobs in the shared job store, idempotently: a node that starts while
 * others run leaves the stored schedule, its next fire time and its pause state alone. A schedule
 * an operator set is never replaced by a node's setting (the setting is the initial interval only);
 * a schedule from a setting is replaced when a node starts with another interval, and the
 * replacement stays paused if the job's trigger group is paused.
 */
final class JobRegistrar {

  private static final Logger log = LoggerFactory.getLogger(JobRegistrar.class);

  private JobRegistrar() {}

  static void register(Scheduler scheduler, List<JobDefinition> definitions)
      throws SchedulerException {
    for (JobDefinition definition : definitions) {
      register(scheduler, definition);
    }
  }

  private static void register(Scheduler scheduler, JobDefinition definition)
      throws SchedulerException {
    JobDetail detail =
        newJob(QuartzJob.class)
            .withIdentity(definition.jobKey())
            .withDescription(definition.description())
            .storeDurably()
            .requestRecovery(definition.requestsRecovery())
            .build();
    scheduler.addJob(detail, true, true);
    SimpleTrigger wanted =
        trigger(
            definition,
            definition.interval(),
            ScheduleOrigin.setting(Instant.now()),
            Date.from(Instant.now()));
    Trigger stored = scheduler.getTrigger(definition.triggerKey());
    if (stored != null && ScheduleOrigin.of(stored).byOperator()) {
      ScheduleOrigin origin = ScheduleOrigin.of(stored);
      if (!sameSchedule(stored, wanted)) {
        log.info(
            "Job {} keeps the interval {} set by {}; {}={} applies again only after a reset"
                + " (DELETE /api/admin/jobs/{}/schedule)",
            definition.name(),
            Duration.ofMillis(((SimpleTrigger) stored).getRepeatInterval()),
            origin.setBy(),
            definition.intervalRule().setting(),
            definition.interval(),
            definition.name());
      }
    } else if (stored == null) {
      try {
        scheduler.scheduleJob(wanted);
        log.info("Scheduled job {} every {}", definition.name(), definition.interval());
      } catch (ObjectAlreadyExistsException e) {
        log.debug("Job {} was scheduled by another node meanwhile", definition.name());
      }
    } else if (!sameSchedule(stored, wanted)) {
      scheduler.rescheduleJob(definition.triggerKey(), wanted);
      log.info("Rescheduled job {} to run every {}", definition.name(), definition.interval());
    }
  }

  /**
   * Every interval, for ever, from {@code start}. Misfire: after an outage of any length, fire once
   * at once, then every interval from then on (no burst of missed runs, no wait for the next slot).
   */
  static SimpleTrigger trigger(
      JobDefinition definition, Duration interval, ScheduleOrigin origin, Date start) {
    return newTrigger()
        .withIdentity(definition.triggerKey())
        .forJob(definition.jobKey())
        .withDescription("every " + interval)
        .usingJobData(origin.data())
        .withSchedule(
            simpleSchedule()
                .withIntervalInMilliseconds(interval.toMillis())
                .repeatForever()
                .withMisfireHandlingInstructionNowWithExistingCount())
        .startAt(start)
        .build();
  }

  private static boolean sameSchedule(Trigger stored, SimpleTrigger wanted) {
    return stored instanceof SimpleTrigger simple
        && simple.getRepeatInterval() == wanted.getRepeatInterval()
        && simple.getRepeatCount() == wanted.getRepeatCount()
        && simple.getMisfireInstruction() == wanted.getMisfireInstruction();
  }
}
