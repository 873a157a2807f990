package dev.tokenpool.jobs;

import dev.tokenpool.persistence.EpochMillis;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Duration;
import java.time.Instant;

/** One execution of a job, as persisted in {@code job_runs}. */
@Entity
@Table(name = "job_runs")
public class JobRun {

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  @Column(name = "id")
  private Long id;

  @Column(name = "job_name", nullable = false)
  private String jobName;

  @Column(name = "fire_instance_id", nullable = false)
  private String fireInstanceId;

  @Column(name = "node_id", nullable = false)
  private String nodeId;

  @Convert(converter = EpochMillis.class)
  @Column(name = "scheduled_at")
  private Instant scheduledAt;

  @Convert(converter = EpochMillis.class)
  @Column(name = "fired_at", nullable = false)
  private Instant firedAt;

  @Convert(converter = EpochMillis.class)
  @Column(name = "started_at", nullable = false)
  private Instant startedAt;

  @Convert(converter = EpochMillis.class)
  @Column(name = "finished_at")
  private Instant finishedAt;

  @Column(name = "outcome", nullable = false)
  private String outcome;

  @Column(name = "released", nullable = false)
  private int released;

  @Column(name = "error")
  private String error;

  @Column(name = "manual", nullable = false)
  private boolean manual;

  @Column(name = "recovering", nullable = false)
  private boolean recovering;

  @Column(name = "schedule_interval_ms")
  private Long scheduleIntervalMillis;

  protected JobRun() {}

  JobRun(RunStart start, String nodeId, Instant startedAt) {
    this.jobName = start.jobName();
    this.fireInstanceId = start.fireInstanceId();
    this.nodeId = nodeId;
    this.scheduledAt = start.scheduledAt();
    this.firedAt = start.firedAt();
    this.startedAt = startedAt;
    this.outcome = RunOutcome.RUNNING.name();
    this.manual = start.manual();
    this.recovering = start.recovering();
    this.scheduleIntervalMillis = start.schedule() == null ? null : start.schedule().toMillis();
  }

  String fireInstanceId() {
    return fireInstanceId;
  }

  String nodeId() {
    return nodeId;
  }

  Instant startedAt() {
    return startedAt;
  }

  boolean manual() {
    return manual;
  }

  JobRunView view() {
    return new JobRunView(
        jobName,
        fireInstanceId,
        nodeId,
        scheduledAt,
        firedAt,
        startedAt,
        finishedAt,
        RunOutcome.valueOf(outcome),
        released,
        error,
        manual,
        recovering,
        scheduleIntervalMillis == null ? null : Duration.ofMillis(scheduleIntervalMillis));
  }
}
