package dev.tokenpool.security;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per client: {@code rate} requests a second on average, up to {@code burst} at
 * once. Kept in this node's memory: a cluster of N nodes lets a client send up to N times the rate
 * (docs/security.md says why that is enough: the limit stops one client from evicting everyone, it
 * is not a quota).
 */
public final class RateLimit {

  /** Buckets kept before full (idle) ones are dropped. */
  static final int MAX_TRACKED = 10_000;

  /**
   * The outcome of one request, with what the {@code RateLimit} headers of the IETF draft tell.
   *
   * @param remaining requests the client may still send at once
   * @param resetSeconds seconds until the bucket is full again (or, when refused, until one request
   *     is allowed)
   */
  public record Decision(boolean allowed, int burst, int rate, long remaining, long resetSeconds) {

    /** The {@code RateLimit-Policy} header: the burst over the window that refills it. */
    public String policyHeader() {
      return "\"client\";q=" + burst + ";w=" + Math.max(1, (burst + rate - 1) / rate);
    }

    /** The {@code RateLimit} header: what is left now and when it is whole again. */
    public String header() {
      return "\"client\";r=" + remaining + ";t=" + resetSeconds;
    }
  }

  private final int rate;
  private final int burst;
  private final LongSupplier nanoTime;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  public RateLimit(int rate, int burst, LongSupplier nanoTime) {
    if (rate < 1 || burst < 1) {
      throw new IllegalArgumentException("rate and burst must be positive: " + rate + ", " + burst);
    }
    this.rate = rate;
    this.burst = burst;
    this.nanoTime = nanoTime;
  }

  /** Takes one request from the client's bucket, if it has one left. */
  public Decision acquire(String client) {
    long now = nanoTime.getAsLong();
    if (buckets.size() > MAX_TRACKED) {
      buckets.values().removeIf(bucket -> bucket.isFull(now));
    }
    return buckets.computeIfAbsent(client, c -> new Bucket(now)).take(now);
  }

  private final class Bucket {
    private double tokens = burst;
    private long last;

    Bucket(long now) {
      this.last = now;
    }

    synchronized Decision take(long now) {
      refill(now);
      boolean allowed = tokens >= 1;
      if (allowed) {
        tokens -= 1;
      }
      double missing = allowed ? burst - tokens : 1 - tokens;
      long reset = (long) Math.ceil(missing / rate);
      return new Decision(allowed, burst, rate, (long) Math.floor(tokens), Math.max(reset, 1));
    }

    synchronized boolean isFull(long now) {
      refill(now);
      return tokens >= burst;
    }

    private void refill(long now) {
      double elapsedSeconds = Math.max(0, now - last) / 1e9;
      tokens = Math.min(burst, tokens + elapsedSeconds * rate);
      last = now;
    }
  }
}
