package dev.tokenpool.jobs;

import java.time.Duration;
import java.util.Objects;

/**
 * The intervals a job may run at, and the setting that gives its initial one: an operator's change
 * at runtime is held to the same bounds as the setting at startup.
 *
 * @param setting the setting of the initial interval, such as {@code TOKENPOOL_EXPIRY_INTERVAL}
 */
public record IntervalRule(String setting, Duration min, Duration max) {

  public IntervalRule {
    Objects.requireNonNull(setting, "setting");
    if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
      throw new IllegalArgumentException("interval bounds " + min + ".." + max + " are not valid");
    }
  }

  /**
   * @throws IllegalArgumentException naming the bounds, when the interval is outside them
   */
  public Duration check(Duration interval) {
    if (interval.compareTo(min) < 0 || interval.compareTo(max) > 0) {
      throw new IllegalArgumentException(
          "must be from " + min + " to " + max + " (as " + setting + "), was " + interval);
    }
    return interval;
  }
}
