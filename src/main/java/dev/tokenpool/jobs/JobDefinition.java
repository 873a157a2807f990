package dev.tokenpool.jobs;

import java.time.Duration;
import java.util.Objects;
import org.quartz.JobKey;
import org.quartz.TriggerKey;

/**
 * One job of the platform, whole: its name, what it is for, how often it runs at first (an operator
 * may change that at runtime, within the rule), whether an execution cut short by a dead node runs
 * again elsewhere, and the work of one run. Each job's trigger sits in a trigger group of its own
 * (named after the job), so pausing the group pauses exactly this job and survives a rescheduled
 * trigger.
 */
public record JobDefinition(
    String name,
    String description,
    Duration interval,
    IntervalRule intervalRule,
    boolean requestsRecovery,
    JobHandler handler) {

  /** Quartz job group of every tokenpool job. */
  public static final String GROUP = "tokenpool";

  public JobDefinition {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(handler, "handler");
    if (!name.matches("[a-z][a-z0-9-]{0,62}")) {
      throw new IllegalArgumentException("job name must be lower-case kebab case, was " + name);
    }
    Objects.requireNonNull(intervalRule, "intervalRule").check(interval);
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
