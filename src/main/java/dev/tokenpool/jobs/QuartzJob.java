package dev.tokenpool.jobs;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.SchedulerException;
import org.quartz.SimpleTrigger;
import org.quartz.Trigger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Quartz runs for every tokenpool job: it turns a fire into a recorded run of the job's
 * handler. One run of a job at a time in the whole cluster. A failure is logged and recorded but
 * not thrown back at Quartz: the next fire simply runs again, and the scheduler keeps going.
 */
@DisallowConcurrentExecution
record QuartzJob(JobDefinition definition, JobRunner runner) implements Job {

  private static final Logger log = LoggerFactory.getLogger(QuartzJob.class);

  @Override
  public void execute(JobExecutionContext context) {
    boolean recovering = context.isRecovering();
    RunStart start =
        new RunStart(
            definition.name(),
            context.getFireInstanceId(),
            instant(context.getScheduledFireTime()),
            instant(context.getFireTime()),
            !recovering && !context.getTrigger().getKey().equals(definition.triggerKey()),
            recovering,
            scheduleInForce(context));
    try {
      runner.run(start, definition.handler());
    } catch (Throwable failure) { // the edge of the scheduler's loop: log, never propagate
      log.error(
          "Run {} of job {} failed: {}",
          start.fireInstanceId(),
          definition.name(),
          failure.toString(),
          failure);
    }
  }

  /**
   * The job's interval: the fired trigger's own for a scheduled run, else (an admin's trigger, a
   * recovery) the stored schedule's; null if the job store cannot say.
   */
  private Duration scheduleInForce(JobExecutionContext context) {
    Trigger trigger = context.getTrigger();
    try {
      if (!trigger.getKey().equals(definition.triggerKey())) {
        trigger = context.getScheduler().getTrigger(definition.triggerKey());
      }
    } catch (SchedulerException e) {
      log.debug("The schedule of {} is unknown for this run: {}", definition.name(), e.toString());
      return null;
    }
    return trigger instanceof SimpleTrigger simple
        ? Duration.ofMillis(simple.getRepeatInterval())
        : null;
  }

  private static Instant instant(Date date) {
    return date == null ? null : date.toInstant();
  }
}
