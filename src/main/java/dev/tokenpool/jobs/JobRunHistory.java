package dev.tokenpool.jobs;

import dev.tokenpool.persistence.Transactions;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Reads the run history, newest first. */
public final class JobRunHistory {

  private final Transactions transactions;
  private final JobRunRepository repository;
  private final JobCatalogue catalogue;

  JobRunHistory(Transactions transactions, JobRunRepository repository, JobCatalogue catalogue) {
    this.transactions = transactions;
    this.repository = repository;
    this.catalogue = catalogue;
  }

  /** When the job last finished a run successfully, anywhere in the cluster. */
  public Optional<Instant> lastSuccess(String job) {
    return transactions.once(session -> Optional.ofNullable(repository.lastSuccess(session, job)));
  }

  /** The nodes with a run of this job recorded as running, in node-id order. */
  public List<String> runningOn(String job) {
    return transactions.once(
        session ->
            repository.running(session, job).stream()
                .map(JobRun::nodeId)
                .distinct()
                .sorted()
                .toList());
  }

  /**
   * The latest runs, of one job or of all.
   *
   * @throws UnknownJobException if {@code job} names no job of the platform
   */
  public List<JobRunView> latest(Optional<String> job, int limit) {
    job.ifPresent(catalogue::named);
    return transactions.once(
        session ->
            repository.latest(session, job.orElse(null), limit).stream()
                .map(JobRun::view)
                .toList());
  }
}
