package dev.tokenpool.jobs;

import dev.tokenpool.config.SchedulerSettings;
import dev.tokenpool.persistence.Database;
import java.time.Duration;
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

  /** How long a stop waits for the interrupted job threads before it gives up on them. */
  private static final Duration INTERRUPTED_WAIT = Duration.ofSeconds(10);

  private final String nodeId;
  private final Scheduler scheduler;
  private final NodeIdGuard nodeIdGuard; // null on a standby node: it never checks in
  private final Duration stopWait;

  private JobPlatform(
      String nodeId, Scheduler scheduler, NodeIdGuard nodeIdGuard, Duration stopWait) {
    this.nodeId = nodeId;
    this.scheduler = scheduler;
    this.nodeIdGuard = nodeIdGuard;
    this.stopWait = stopWait;
  }

  /**
   * Creates this node's scheduler and registers the jobs. With the scheduler disabled it stays in
   * standby: it fires nothing and does not join the cluster's check-ins, but reads and changes the
   * shared job store, so pause, resume and trigger work from an API-only node too.
   */
  static JobPlatform start(
      String nodeId,
      SchedulerSettings settings,
      Database database,
      JobCatalogue catalogue,
      JobFactory jobFactory) {
    // Quartz finds its DataSource by name in a JVM-wide registry: a unique name keeps several
    // nodes in one JVM (tests) apart.
    String dataSourceName = "tokenpool-" + UUID.randomUUID();
    DBConnectionManager.getInstance()
        .addConnectionProvider(
            dataSourceName, new QuartzConnectionProvider(database.schedulerDataSource()));
    Scheduler scheduler = null;
    try {
      StdSchedulerFactory factory =
          new StdSchedulerFactory(
              QuartzProperties.forNode(
                  nodeId, settings, dataSourceName, catalogue.shortestInterval()));
      scheduler = factory.getScheduler();
      // Quartz also keeps schedulers in a JVM-wide registry by name, which every node shares.
      // This node holds its own reference, so the entry is dropped to let another node of the
      // same cluster start in this JVM.
      SchedulerRepository.getInstance().remove(scheduler.getSchedulerName());
      scheduler.setJobFactory(jobFactory);
      JobRegistrar.register(scheduler, catalogue.all());
      NodeIdGuard guard = null;
      if (settings.enabled()) {
        guard = new NodeIdGuard(database.schedulerDataSource(), nodeId);
        guard.requireUnused();
        scheduler.start();
        log.info(
            "Scheduler started as instance {} of cluster {}", nodeId, scheduler.getSchedulerName());
      } else {
        log.info(
            "Scheduler in standby on this node: it runs no jobs (TOKENPOOL_SCHEDULER_ENABLED)");
      }
      return new JobPlatform(nodeId, scheduler, guard, settings.stopWait());
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

  /** Whether this node takes part in running the schedule. */
  public boolean running() {
    try {
      return scheduler.isStarted() && !scheduler.isInStandbyMode() && !scheduler.isShutdown();
    } catch (SchedulerException e) {
      return false;
    }
  }

  /** Waits for running jobs (for a bounded time), then stops every scheduler thread. */
  @Override
  public void close() {
    boolean clean = stopWaitingAtMost(stopWait);
    if (nodeIdGuard == null) {
      return;
    }
    if (clean) {
      nodeIdGuard.release();
    } else {
      // The interrupted run's fire is still registered: the check-in row stays, so that another
      // node takes this one for dead after its interval plus 7.5 s and recovers that fire.
      log.warn("Node {} leaves its check-in row for the cluster to recover its run", nodeId);
    }
  }

  /**
   * Quartz waits for running jobs before it stops; but a job whose bookkeeping cannot reach the
   * database retries it until the job store is shut down, which Quartz does only after that wait. A
   * node whose database is gone would never stop. So the wait is bounded: then the node's job
   * threads are interrupted, which ends their retries. Such a run stays RUNNING in the history
   * until the cluster closes it as abandoned.
   *
   * @return whether every job ended without an interrupt
   */
  private boolean stopWaitingAtMost(Duration wait) {
    Thread stopper = new Thread(() -> shutdownQuietly(scheduler), "tokenpool-stop-" + nodeId);
    stopper.setDaemon(true);
    stopper.start();
    if (joined(stopper, wait)) {
      return true;
    }
    log.warn(
        "Node {}: a job run has not ended {} after the stop began (is the database reachable?);"
            + " interrupting it",
        nodeId,
        wait);
    // Again and again: a job may swallow one interrupt (in its own wait) and retry after it.
    String prefix = QuartzProperties.jobThreadPrefix(nodeId);
    long deadline = System.nanoTime() + INTERRUPTED_WAIT.toNanos();
    while (stopper.isAlive() && System.nanoTime() < deadline) {
      Thread.getAllStackTraces().keySet().stream()
          .filter(thread -> thread.getName().startsWith(prefix))
          .forEach(Thread::interrupt);
      joined(stopper, Duration.ofMillis(200));
    }
    if (stopper.isAlive()) {
      log.error("Node {}: the scheduler did not stop; its threads are left behind", nodeId);
    }
    return false;
  }

  private static boolean joined(Thread thread, Duration wait) {
    try {
      thread.join(Math.max(1, wait.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return !thread.isAlive();
  }

  private static void shutdownQuietly(Scheduler scheduler) {
    try {
      scheduler.shutdown(true);
    } catch (SchedulerException e) {
      log.warn("Scheduler did not shut down cleanly: {}", e.toString());
    }
  }
}
