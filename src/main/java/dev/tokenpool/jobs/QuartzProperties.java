package dev.tokenpool.jobs;

import dev.tokenpool.config.SchedulerSettings;
import java.time.Duration;
import java.util.Properties;

/** Quartz's settings for a tokenpool node. Each one here is a decision; see docs/scheduler.md. */
final class QuartzProperties {

  private QuartzProperties() {}

  /**
   * @param shortestInterval the shortest initial interval of the catalogue's jobs: Quartz's idle
   *     wait and the derived misfire threshold follow it
   */
  static Properties forNode(
      String nodeId, SchedulerSettings settings, String dataSourceName, Duration shortestInterval) {
    Properties p = new Properties();
    // Every node shares the scheduler name (the cluster), each has its own instance id.
    p.setProperty("org.quartz.scheduler.instanceName", JobRunRepository.SCHEDULER_NAME);
    p.setProperty("org.quartz.scheduler.instanceId", nodeId);
    p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
    // Quartz's own scheduler MBean, for generic Quartz tooling (name carries the instance id).
    p.setProperty("org.quartz.scheduler.jmx.export", "true");
    p.setProperty("org.quartz.scheduler.threadName", "tokenpool-scheduler");
    p.setProperty("org.quartz.scheduler.makeSchedulerThreadDaemon", "true");
    p.setProperty(
        "org.quartz.scheduler.idleWaitTime", String.valueOf(idleWait(shortestInterval).toMillis()));
    p.setProperty("org.quartz.threadPool.class", "org.quartz.simpl.SimpleThreadPool");
    p.setProperty("org.quartz.threadPool.threadCount", "2");
    p.setProperty("org.quartz.threadPool.threadNamePrefix", jobThreadPrefix(nodeId));
    p.setProperty("org.quartz.threadPool.makeThreadsDaemons", "true");
    p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
    p.setProperty(
        "org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.StdJDBCDelegate");
    p.setProperty("org.quartz.jobStore.dataSource", dataSourceName);
    p.setProperty("org.quartz.jobStore.tablePrefix", "QRTZ_");
    // Job data as strings only: nothing serialized into BLOBs that a new release could not read.
    p.setProperty("org.quartz.jobStore.useProperties", "true");
    p.setProperty("org.quartz.jobStore.isClustered", "true");
    p.setProperty(
        "org.quartz.jobStore.clusterCheckinInterval",
        String.valueOf(settings.checkinInterval().toMillis()));
    p.setProperty(
        "org.quartz.jobStore.misfireThreshold",
        String.valueOf(misfireThreshold(settings, shortestInterval).toMillis()));
    // Acquire triggers while holding the TRIGGER_ACCESS row lock: without it, two nodes on MySQL
    // can acquire the same trigger and fire it twice.
    p.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true");
    // After a database outage, try again every 5 s rather than Quartz's 15 s, so the schedule
    // resumes soon after the database does.
    p.setProperty("org.quartz.scheduler.dbFailureRetryInterval", "5000");
    p.setProperty("org.quartz.jobStore.dbRetryInterval", "5000");
    // READ COMMITTED comes with every connection of the application's pool (see Database).
    return p;
  }

  /**
   * The names of the node's job threads start with this (Quartz adds a dash and a number): the
   * brackets, which no node id contains, keep node {@code a} from matching node {@code a-2}'s
   * threads, so a stopping node finds its own threads among other nodes' in the JVM.
   */
  static String jobThreadPrefix(String nodeId) {
    return "tokenpool-job[" + nodeId + "]";
  }

  /**
   * A scheduler thread acquires every trigger due within its idle wait. With Quartz's 30 s default,
   * the node that fired a 30 s job at once takes the next fire too, and one node runs every fire
   * while the others idle. Half the shortest interval (1 s at least, Quartz's floor) leaves the
   * next fire to whichever node asks first, so the cluster shares the work.
   */
  static Duration idleWait(Duration shortestInterval) {
    Duration half = shortestInterval.dividedBy(2);
    Duration floor = Duration.ofSeconds(1);
    Duration ceiling = Duration.ofSeconds(30);
    return half.compareTo(floor) < 0 ? floor : half.compareTo(ceiling) > 0 ? ceiling : half;
  }

  /**
   * How late a fire may be before it counts as misfired: the setting, else half the shortest
   * interval, at most 10 s (Quartz's 60 s default is longer than the expiry interval).
   */
  static Duration misfireThreshold(SchedulerSettings settings, Duration shortestInterval) {
    Duration derived = shortestInterval.dividedBy(2);
    Duration ceiling = SchedulerSettings.MAX_DERIVED_MISFIRE_THRESHOLD;
    return settings.misfireThreshold().orElse(derived.compareTo(ceiling) < 0 ? derived : ceiling);
  }
}
