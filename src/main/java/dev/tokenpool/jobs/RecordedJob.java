package dev.tokenpool.jobs;

import java.time.Instant;
import java.util.Date;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Quartz job whose every execution lands in the run history. A failure is logged and recorded
 * but not thrown back at Quartz: the next fire simply runs again, and the scheduler, like the
 * application, keeps going.
 */
abstract class RecordedJob implements Job {

  private static final Logger log = LoggerFactory.getLogger(RecordedJob.class);

  private final RecordedExecution execution;
  private final JobDefinition definition;

  RecordedJob(RecordedExecution execution, JobDefinition definition) {
    this.execution = execution;
    this.definition = definition;
  }

  /** Does the job's work for one run and returns what it counted. */
  abstract int perform(String fireInstanceId);

  @Override
  public final void execute(JobExecutionContext context) {
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
      execution.run(start, this::perform);
    } catch (Throwable failure) { // the edge of the scheduler's loop: log, never propagate
      log.error(
          "Run {} of job {} failed: {}", start.fireInstanceId(), definition.name(), failure.toString(), failure);
    }
  }

  private static Instant instant(Date date) {
    return date == null ? null : date.toInstant();
  }
}
