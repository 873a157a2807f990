package dev.tokenpool.admin;

/**
 * One job over JMX ({@code dev.tokenpool:type=Job,node=<node id>,name=<job>}). Its operations act
 * on the whole cluster: the schedule lives in the shared job store.
 */
public interface JobMXBean {

  /** NORMAL, PAUSED, BLOCKED (running now somewhere), ERROR or NONE. */
  String getState();

  /** ISO-8601, such as PT30S. */
  String getInterval();

  /**
   * A new interval for the whole cluster, kept across restarts (ISO-8601, within the bounds of the
   * job's setting); no node's setting replaces it until {@link #resetInterval()}.
   */
  void setInterval(String interval);

  /** {@code setting}, or the operator who set the interval ({@code jmx} when set over JMX). */
  String getIntervalSetBy();

  /** The job back on its setting: this node's interval. */
  void resetInterval();

  /** ISO-8601 instant, or null. */
  String getNextFireTime();

  /** ISO-8601 instant, or null. */
  String getPreviousFireTime();

  /** RUNNING, SUCCESS or FAILED, or null before the first run. */
  String getLastRunOutcome();

  /** Usages the latest run released; -1 before the first run. */
  int getLastRunReleased();

  /** Stops the schedule cluster-wide, across restarts. */
  void pause();

  void resume();

  /** One run now, on some node of the cluster, also while paused. */
  void triggerNow();
}
