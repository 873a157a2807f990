package dev.tokenpool.jobs;

/** A job's schedule as admins see it: Quartz's trigger state, cluster-wide. */
public enum JobState {
  /** Scheduled and waiting for its next fire. */
  NORMAL,
  /** Paused: no scheduled fires until resumed (manual triggers still run). */
  PAUSED,
  /** Running now somewhere in the cluster; its next fire waits for it. */
  BLOCKED,
  /** Quartz could not fire it (for instance, its class is missing). */
  ERROR,
  /** Its trigger is gone or finished. */
  NONE
}
