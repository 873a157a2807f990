package dev.tokenpool.security;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Counts failed and missing logins per client address in one-minute windows. An address past the
 * limit is refused (429) until its window ends, whatever it sends: answering a right guess
 * differently from a wrong one would keep the guessing going.
 */
public final class FailedLogins {

  static final Duration WINDOW = Duration.ofMinutes(1);
  static final int MAX_TRACKED = 10_000;

  private final int limit;
  private final LongSupplier nanoTime;
  private final Map<String, Window> windows = new ConcurrentHashMap<>();

  public FailedLogins(int limit, LongSupplier nanoTime) {
    this.limit = limit;
    this.nanoTime = nanoTime;
  }

  /** Refuses an address that has failed {@code limit} times in its current window. */
  public void checkAllowed(String address) {
    Window window = windows.get(address);
    if (window == null) {
      return;
    }
    long left = window.nanosLeftIfBlocked(nanoTime.getAsLong(), limit);
    if (left > 0) {
      throw new TooManyRequestsException(
          "Too many failed logins from this address; retry later",
          Math.max(1, (left + 999_999_999) / 1_000_000_000),
          null);
    }
  }

  /** Counts one failure of the address; true when this failure reached the limit. */
  public boolean recordFailure(String address) {
    long now = nanoTime.getAsLong();
    if (windows.size() > MAX_TRACKED) {
      windows.values().removeIf(w -> w.isOver(now));
    }
    return windows.computeIfAbsent(address, a -> new Window(now)).add(now) == limit;
  }

  private static final class Window {
    private long start;
    private int failures;

    Window(long now) {
      this.start = now;
    }

    synchronized int add(long now) {
      if (isOver(now)) {
        start = now;
        failures = 0;
      }
      return ++failures;
    }

    synchronized long nanosLeftIfBlocked(long now, int limit) {
      if (isOver(now) || failures < limit) {
        return 0;
      }
      return WINDOW.toNanos() - (now - start);
    }

    synchronized boolean isOver(long now) {
      return now - start >= WINDOW.toNanos();
    }
  }
}
