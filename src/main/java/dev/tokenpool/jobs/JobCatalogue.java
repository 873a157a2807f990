package dev.tokenpool.jobs;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.quartz.JobKey;

/** The platform's jobs, and the one rule that tells a job name from an unknown one. */
public final class JobCatalogue {

  private final List<JobDefinition> definitions;

  JobCatalogue(List<JobDefinition> definitions) {
    this.definitions = List.copyOf(definitions);
    Set<String> names = names();
    if (names.size() != definitions.size()) {
      throw new IllegalArgumentException("two jobs share a name: " + definitions);
    }
  }

  public List<JobDefinition> all() {
    return definitions;
  }

  /** The shortest initial interval of any job (the scheduler's waits follow it). */
  Duration shortestInterval() {
    return definitions.stream()
        .map(JobDefinition::interval)
        .min(Duration::compareTo)
        .orElseThrow(() -> new IllegalStateException("the catalogue has no job"));
  }

  /** The job names, sorted. */
  public Set<String> names() {
    return definitions.stream()
        .map(JobDefinition::name)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /**
   * The job with this name.
   *
   * @throws UnknownJobException if no job has this name
   */
  public JobDefinition named(String name) {
    return definitions.stream()
        .filter(d -> d.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new UnknownJobException(name, names()));
  }

  /** The job stored under this Quartz key; unknown if a newer release stored it. */
  JobDefinition withKey(JobKey key) {
    if (!JobDefinition.GROUP.equals(key.getGroup())) {
      throw new UnknownJobException(key.toString(), names());
    }
    return named(key.getName());
  }
}
