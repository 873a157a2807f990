package dev.tokenpool.admin;

/**
 * The token pool over JMX ({@code dev.tokenpool:type=Pool,node=<node id>}). Plain types only, so
 * jconsole and jmxterm show and call everything directly.
 */
public interface PoolMXBean {

  long getPoolSize();

  long getActiveCount();

  long getAvailableCount();

  /** The lease an activation gets when it asks for none; ISO-8601, such as PT2M. */
  String getTokenLifetime();

  /** The shortest lease an activation or a renewal may ask for (ISO-8601). */
  String getLeaseMin();

  /** The longest lease an activation or a renewal may ask for (ISO-8601). */
  String getLeaseMax();

  /** How long one holding may last from its activation, renewals included (ISO-8601). */
  String getMaxHold();

  /** Activations waiting for a token on every node (those that may still be served). */
  long getWaiters();

  /** Activations waiting for a token on this node. */
  int getWaitersHere();

  /** The longest an activation may wait for a token (ISO-8601). */
  String getMaxWait();

  /** Event streams open on this node. */
  int getEventSubscribers();

  /** How long events are kept for streams that resume (ISO-8601). */
  String getEventRetention();

  /** An expiry pass now, on this node, recorded as a manual run; the count of usages it ended. */
  int releaseExpiredNow();

  /** Ends every active usage (CLEARED); the count it ended. */
  int clearActive();
}
