package dev.tokenpool.admin;

/**
 * The token pool over JMX ({@code dev.tokenpool:type=Pool,node=<node id>}). Plain types only, so
 * jconsole and jmxterm show and call everything directly.
 */
public interface PoolMXBean {

  long getPoolSize();

  long getActiveCount();

  long getAvailableCount();

  /** ISO-8601, such as PT2M. */
  String getTokenLifetime();

  /** An expiry pass now, on this node, recorded as a manual run; the count of usages it ended. */
  int releaseExpiredNow();

  /** Ends every active usage (CLEARED); the count it ended. */
  int clearActive();
}
