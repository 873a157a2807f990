package dev.tokenpool.jobs;

import org.quartz.Job;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.spi.JobFactory;
import org.quartz.spi.TriggerFiredBundle;

/**
 * Gives Quartz the job to run for a fire, found by its key in the catalogue: the stored job class
 * plays no part, so renaming a handler never touches the job store.
 */
final class TokenPoolJobFactory implements JobFactory {

  private final JobCatalogue catalogue;
  private final JobRunner runner;

  TokenPoolJobFactory(JobCatalogue catalogue, JobRunner runner) {
    this.catalogue = catalogue;
    this.runner = runner;
  }

  @Override
  public Job newJob(TriggerFiredBundle bundle, Scheduler scheduler) throws SchedulerException {
    try {
      return new QuartzJob(catalogue.withKey(bundle.getJobDetail().getKey()), runner);
    } catch (UnknownJobException e) {
      throw new SchedulerException("No job in this release: " + e.getMessage(), e);
    }
  }
}
