package dev.tokenpool.jobs;

import java.util.Set;

/** No job of the platform has this name. */
public final class UnknownJobException extends RuntimeException {

  private final String jobName;

  UnknownJobException(String jobName, Set<String> known) {
    super(
        "No job is named '"
            + (jobName.length() <= 64 ? jobName : jobName.substring(0, 61) + "...")
            + "'; the jobs are "
            + String.join(", ", known));
    this.jobName = jobName;
  }

  public String jobName() {
    return jobName;
  }
}
