package dev.tokenpool.jobs;

import java.time.Duration;
import java.util.Objects;
import org.quartz.Job;
import org.quartz.JobKey;
import org.quartz.TriggerKey;

/**
 * One job of the platform: what runs, how often, and whether an execution cut short by a dead
 * node is run again elsewhere. Each job's trigger sits in a trigger group of its own (named after
 * the job), so pausing the group pauses exactly this job and survives a rescheduled trigger.
 */
public record JobDefinition(
    String name,
    String description,
    Class<? extends Job> jobClass,
    Duration interval,
    boolean requestsRecovery) {

  /** Quartz job group of every tokenpool job. */
  public static final String GROUP = "tokenpool";

  public JobDefinition {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(jobClass, "jobClass");
    if (!name.matches("[a-z][a-z0-9-]{0,62}")) {
      throw new IllegalArgumentException("job name must be lower-case kebab case, was " + name);
    }
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval of " + name + " must be positive, was " + interval);
    }
  }

  public JobKey jobKey() {
    return JobKey.jobKey(name, GROUP);
  }

  public TriggerKey triggerKey() {
    return TriggerKey.triggerKey(name, triggerGroup());
  }

  public String triggerGroup() {
    return name;
  }
}
