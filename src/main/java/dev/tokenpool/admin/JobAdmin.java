package dev.tokenpool.admin;

import dev.tokenpool.jobs.JobControl;
import dev.tokenpool.jobs.JobStatus;
import dev.tokenpool.security.AuditLog;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** {@link JobMXBean} for one job, over the cluster-wide job control. */
final class JobAdmin implements JobMXBean {

  private static final String JMX = "jmx";

  private final JobControl control;
  private final String job;
  private final AuditLog audit;

  JobAdmin(JobControl control, String job, AuditLog audit) {
    this.control = control;
    this.job = job;
    this.audit = audit;
  }

  @Override
  public String getState() {
    return status().state().name();
  }

  @Override
  public String getInterval() {
    return status().interval().toString();
  }

  @Override
  public void setInterval(String interval) {
    Duration wanted;
    try {
      wanted = Duration.parse(interval == null ? "" : interval.strip());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "'" + interval + "' is not an ISO-8601 duration such as PT30S", e);
    }
    control.reschedule(job, wanted, JMX);
    audit.record("job-schedule", JMX, JMX, "job", job, "interval", wanted);
  }

  @Override
  public String getIntervalSetBy() {
    return status().intervalSetBy();
  }

  @Override
  public void resetInterval() {
    control.resetSchedule(job, JMX);
    audit.record("job-schedule-reset", JMX, JMX, "job", job);
  }

  @Override
  public String getNextFireTime() {
    return text(status().nextFireTime());
  }

  @Override
  public String getPreviousFireTime() {
    return text(status().previousFireTime());
  }

  @Override
  public String getLastRunOutcome() {
    JobStatus status = status();
    return status.lastRunOutcome() == null ? null : status.lastRunOutcome().name();
  }

  @Override
  public int getLastRunReleased() {
    Integer released = status().lastRunReleased();
    return released == null ? -1 : released;
  }

  @Override
  public void pause() {
    control.pause(job);
  }

  @Override
  public void resume() {
    control.resume(job);
  }

  @Override
  public void triggerNow() {
    control.triggerNow(job);
  }

  private JobStatus status() {
    return control.status(job);
  }

  private static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
