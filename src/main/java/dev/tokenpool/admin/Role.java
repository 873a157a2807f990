package dev.tokenpool.admin;

/** What an authenticated operator may do. */
public enum Role {
  /** Reads and changes: pause, resume, trigger, expire now. */
  ADMIN,
  /** Reads only. */
  MONITOR
}
