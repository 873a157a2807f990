package dev.tokenpool.jobs;

import java.time.Instant;
import java.util.Date;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
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
            recovering);
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

  private static Instant instant(Date date) {
    return date == null ? null : date.toInstant();
  }
}
