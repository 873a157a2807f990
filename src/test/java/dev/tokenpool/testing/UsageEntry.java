package dev.tokenpool.testing;

import dev.tokenpool.tokens.EndReason;
import dev.tokenpool.tokens.UsageView;
import java.time.Instant;
import java.util.List;

/** Who held a token, when, and how the holding ended: what most history assertions compare. */
public record UsageEntry(
    String userId, Instant startedAt, Instant expiresAt, Instant endedAt, EndReason endReason) {

  public static UsageEntry of(UsageView usage) {
    return new UsageEntry(
        usage.userId(), usage.startedAt(), usage.expiresAt(), usage.endedAt(), usage.endReason());
  }

  public static List<UsageEntry> of(List<UsageView> usages) {
    return usages.stream().map(UsageEntry::of).toList();
  }
}
