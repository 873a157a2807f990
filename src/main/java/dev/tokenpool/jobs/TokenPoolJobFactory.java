package dev.tokenpool.jobs;

import java.util.Map;
import org.quartz.Job;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.spi.JobFactory;
import org.quartz.spi.TriggerFiredBundle;

/** Hands Quartz the job objects the composition root built, with their collaborators. */
final class TokenPoolJobFactory implements JobFactory {

  private final Map<Class<? extends Job>, Job> jobs;

  TokenPoolJobFactory(Map<Class<? extends Job>, Job> jobs) {
    this.jobs = Map.copyOf(jobs);
  }

  @Override
  public Job newJob(TriggerFiredBundle bundle, Scheduler scheduler) throws SchedulerException {
    Class<? extends Job> type = bundle.getJobDetail().getJobClass();
    Job job = jobs.get(type);
    if (job == null) {
      throw new SchedulerException("No job object for " + type.getName() + " in this release");
    }
    return job;
  }
}
