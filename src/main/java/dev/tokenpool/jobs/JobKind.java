package dev.tokenpool.jobs;

import java.util.List;
import java.util.ServiceLoader;

/**
 * A kind of job: defines the job (name, description, interval and its bounds, recovery, handler)
 * from the node's services. Every kind is listed, one class per line, in {@code
 * META-INF/services/dev.tokenpool.jobs.JobKind}, and the catalogue holds the jobs of that list in
 * its order: a new job is its class (which implements this, usually as a nested {@code Kind}), its
 * test, that line, and a line in docs/scheduler.md. Nothing else names it.
 */
public interface JobKind {

  JobDefinition define(JobContext context);

  /** Every kind the class path lists, in the order of the list. */
  static List<JobKind> listed() {
    return ServiceLoader.load(JobKind.class, JobKind.class.getClassLoader()).stream()
        .map(ServiceLoader.Provider::get)
        .toList();
  }
}
