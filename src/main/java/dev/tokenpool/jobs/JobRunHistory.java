package dev.tokenpool.jobs;

import dev.tokenpool.persistence.Transactions;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads the run history, newest first. */
public final class JobRunHistory {

  private final Transactions transactions;
  private final JobRunRepository repository;
  private final Set<String> jobNames;

  JobRunHistory(Transactions transactions, JobRunRepository repository, Set<String> jobNames) {
    this.transactions = transactions;
    this.repository = repository;
    this.jobNames = Set.copyOf(jobNames);
  }

  public Set<String> jobNames() {
    return jobNames;
  }

  /** When the job last finished a run successfully, anywhere in the cluster. */
  public Optional<java.time.Instant> lastSuccess(String job) {
    return transactions.once(session -> Optional.ofNullable(repository.lastSuccess(session, job)));
  }

  /**
   * The latest runs, of one job or of all.
   *
   * @throws UnknownJobException if {@code job} names no job of the platform
   */
  public List<JobRunView> latest(Optional<String> job, int limit) {
    job.filter(name -> !jobNames.contains(name))
        .ifPresent(
            name -> {
              throw new UnknownJobException(name, jobNames);
            });
    return transactions.once(
        session ->
            repository.latest(session, job.orElse(null), limit).stream().map(JobRun::view).toList());
  }
}
