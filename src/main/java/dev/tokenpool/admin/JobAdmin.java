package dev.tokenpool.admin;

import dev.tokenpool.jobs.JobControl;
import dev.tokenpool.jobs.JobStatus;
import java.time.Instant;

/** {@link JobMXBean} for one job, over the cluster-wide job control. */
final class JobAdmin implements JobMXBean {

  private final JobControl control;
  private final String job;

  JobAdmin(JobControl control, String job) {
    this.control = control;
    this.job = job;
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
