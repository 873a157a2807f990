package dev.tokenpool.tokens;

import java.util.EnumMap;
import java.util.Map;

/** The usages one transaction attempt ended, by reason; reported only once it commits. */
final class EndTally {

  private final Map<EndReason, Integer> counts = new EnumMap<>(EndReason.class);

  void add(EndReason reason) {
    add(reason, 1);
  }

  void add(EndReason reason, int count) {
    counts.merge(reason, count, Integer::sum);
  }

  void reportTo(TokenEvents events) {
    counts.forEach(events::usagesEnded);
  }
}
