package dev.tokenpool.tokens;

import dev.tokenpool.persistence.Transactions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Counts the pool's recent activity from the usage history, for the console. The history has no
 * index on end times (every index costs the activation path), so this reads the newest usages by
 * primary key, at most {@link #MAX_USAGES_READ}: a usage that ended in the window expired at its
 * end or later, so it started at most one token lifetime before the window; once the read reaches a
 * usage that started earlier than that, the counts are complete. Usage ids follow start times
 * closely, not exactly (nodes insert concurrently), which may misplace a usage at the very edge of
 * the window.
 */
public final class RecentActivity {

  /** The most usages one read takes, by primary key. */
  static final int MAX_USAGES_READ = 20_000;

  private static final int PAGE = 1_000;

  private final Transactions transactions;
  private final TokenRepository repository = new TokenRepository();
  private final Clock clock;
  private final Duration longestHolding;
  private final int maxUsagesRead;

  public RecentActivity(Transactions transactions, Clock clock, Duration longestHolding) {
    this(transactions, clock, longestHolding, MAX_USAGES_READ);
  }

  RecentActivity(
      Transactions transactions, Clock clock, Duration longestHolding, int maxUsagesRead) {
    this.transactions = transactions;
    this.clock = clock;
    this.longestHolding = longestHolding;
    this.maxUsagesRead = maxUsagesRead;
  }

  /** The same reader with another cap on the usages it reads. */
  RecentActivity readingAtMost(int usages) {
    return new RecentActivity(transactions, clock, longestHolding, usages);
  }

  /** The last {@code minutes} whole minutes, the current one last. */
  public PoolActivity lastMinutes(int minutes) {
    Instant currentMinute = clock.instant().truncatedTo(ChronoUnit.MINUTES);
    Instant from = currentMinute.minus(Duration.ofMinutes(minutes - 1L));
    Instant earliestStart = from.minus(longestHolding);
    long[][] counts = new long[minutes][5];
    boolean complete =
        transactions.once(
            session -> {
              long before = Long.MAX_VALUE;
              int read = 0;
              while (read < maxUsagesRead) {
                List<TokenRepository.UsageTimes> page =
                    repository.usageTimesBefore(
                        session, before, Math.min(PAGE, maxUsagesRead - read));
                for (TokenRepository.UsageTimes usage : page) {
                  if (usage.startedAt().isBefore(earliestStart)) {
                    return true; // it and every older usage ended before the window
                  }
                  count(counts, from, usage.startedAt(), 0);
                  if (usage.endReason() != null) {
                    count(counts, from, usage.endedAt(), 1 + usage.endReason().ordinal());
                  }
                }
                read += page.size();
                if (page.size() < PAGE) {
                  return read < maxUsagesRead || page.isEmpty(); // the whole history was read
                }
                before = page.get(page.size() - 1).id();
              }
              return false;
            });
    List<PoolActivity.Minute> result =
        IntStream.range(0, minutes)
            .mapToObj(
                i ->
                    new PoolActivity.Minute(
                        from.plus(Duration.ofMinutes(i)),
                        counts[i][0],
                        counts[i][1 + EndReason.EXPIRED.ordinal()],
                        counts[i][1 + EndReason.EVICTED.ordinal()],
                        counts[i][1 + EndReason.RELEASED.ordinal()],
                        counts[i][1 + EndReason.CLEARED.ordinal()]))
            .toList();
    return new PoolActivity(result, complete);
  }

  private static void count(long[][] counts, Instant from, Instant at, int column) {
    if (at == null || at.isBefore(from)) {
      return;
    }
    long minute = Duration.between(from, at).toMinutes();
    if (minute < counts.length) {
      counts[(int) minute][column]++;
    }
  }
}
