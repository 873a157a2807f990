package dev.tokenpool.jobs;

import java.util.Set;
import java.util.TreeSet;

/** No job of the platform has this name. */
public final class UnknownJobException extends RuntimeException {

  private final String jobName;

  public UnknownJobException(String jobName, Set<String> known) {
    super("No job is named '" + jobName + "'; the jobs are " + String.join(", ", new TreeSet<>(known)));
    this.jobName = jobName;
  }

  public String jobName() {
    return jobName;
  }
}
