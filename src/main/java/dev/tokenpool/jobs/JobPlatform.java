package dev.tokenpool.jobs;

import dev.tokenpool.config.TokenPoolConfig;
import dev.tokenpool.persistence.Database;
import java.util.List;
import java.util.UUID;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.impl.SchedulerRepository;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.spi.JobFactory;
import org.quartz.utils.DBConnectionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's member of the clustered Quartz scheduler: created on the application's DataSource,
 * jobs registered, started; on close it waits for running jobs and leaves no thread behind.
 */
public final class JobPlatform implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(JobPlatform.class);

  private final Scheduler scheduler;
  private final List<JobDefinition> definitions;
  private final NodeIdGuard nodeIdGuard; // null on a standby node: it never checks in

  private JobPlatform(Scheduler scheduler, List<JobDefinition> definitions, NodeIdGuard nodeIdGuard) {
    this.scheduler = scheduler;
    this.definitions = List.copyOf(definitions);
    this.nodeIdGuard = nodeIdGuard;
  }

  /**
   * Creates this node's scheduler and registers the jobs. With {@code run} false the scheduler
   * stays in standby: it fires nothing and does not join the cluster's check-ins, but reads and
   * changes the shared job store, so pause, resume and trigger work from an API-only node too.
   */
  static JobPlatform start(
      TokenPoolConfig config,
      Database database,
      List<JobDefinition> definitions,
      JobFactory jobFactory,
      boolean run) {
    // Quartz finds its DataSource by name in a JVM-wide registry: a unique name keeps several
    // nodes in one JVM (tests) apart.
    String dataSourceName = "tokenpool-" + UUID.randomUUID();
    DBConnectionManager.getInstance()
        .addConnectionProvider(dataSourceName, new QuartzConnectionProvider(database.schedulerDataSource()));
    Scheduler scheduler = null;
    try {
      StdSchedulerFactory factory =
          new StdSchedulerFactory(QuartzProperties.forNode(config, dataSourceName));
      scheduler = factory.getScheduler();
      // Quartz also keeps schedulers in a JVM-wide registry by name, which every node shares.
      // This node holds its own reference, so the entry is dropped to let another node of the
      // same cluster start in this JVM.
      SchedulerRepository.getInstance().remove(scheduler.getSchedulerName());
      scheduler.setJobFactory(jobFactory);
      JobRegistrar.register(scheduler, definitions);
      NodeIdGuard guard = null;
      if (run) {
        guard = new NodeIdGuard(database.schedulerDataSource(), config.nodeId());
        guard.requireUnused();
        scheduler.start();
        log.info(
            "Scheduler started as instance {} of cluster {}",
            config.nodeId(),
            scheduler.getSchedulerName());
      } else {
        log.info("Scheduler in standby on this node: it runs no jobs (TOKENPOOL_SCHEDULER_ENABLED)");
      }
      return new JobPlatform(scheduler, definitions, guard);
    } catch (SchedulerException | RuntimeException e) {
      if (scheduler != null) {
        shutdownQuietly(scheduler);
      }
      throw new IllegalStateException("Could not start the job scheduler: " + e.getMessage(), e);
    }
  }

  public Scheduler scheduler() {
    return scheduler;
  }

  public List<JobDefinition> definitions() {
    return definitions;
  }

  /** Whether this node takes part in running the schedule. */
  public boolean running() {
    try {
      return scheduler.isStarted() && !scheduler.isInStandbyMode() && !scheduler.isShutdown();
    } catch (SchedulerException e) {
      return false;
    }
  }

  /** Waits for running jobs, then stops every scheduler thread. */
  @Override
  public void close() {
    shutdownQuietly(scheduler);
    if (nodeIdGuard != null) {
      nodeIdGuard.release();
    }
  }

  private static void shutdownQuietly(Scheduler scheduler) {
    try {
      scheduler.shutdown(true);
    } catch (SchedulerException e) {
      log.warn("Scheduler did not shut down cleanly: {}", e.toString());
    }
  }
}
