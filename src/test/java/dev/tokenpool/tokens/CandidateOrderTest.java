package dev.tokenpool.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CandidateOrderTest {

  private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

  private static Token free(int slot) {
    return Token.of(UUID.randomUUID(), slot, null, null, null, null, 1, 1);
  }

  private static Token held(int slot, Instant expiresAt) {
    return Token.of(
        UUID.randomUUID(),
        slot,
        (long) slot,
        "user-" + slot,
        NOW.minusSeconds(60),
        expiresAt,
        1,
        1);
  }

  @Test
  void onlyTheBestKindPresentIsTriedFreeThenExpiredThenActive() {
    Token active = held(1, NOW.plusSeconds(30));
    Token expired = held(2, NOW.minusSeconds(1));
    Token free = free(3);
    CandidateOrder order = new CandidateOrder(() -> new Random(1));

    assertThat(order.of(new ArrayList<>(List.of(active, expired, free)), NOW, 1))
        .containsExactly(free);
    assertThat(order.of(new ArrayList<>(List.of(active, expired)), NOW, 1))
        .containsExactly(expired);
    assertThat(order.of(new ArrayList<>(List.of(active)), NOW, 1)).containsExactly(active);
  }

  @Test
  void aRequestAloneTakesTheFirstAndConcurrentOnesSpreadOverAsManyAsRun() {
    List<Token> candidates = new ArrayList<>();
    for (int slot = 1; slot <= 10; slot++) {
      candidates.add(free(slot));
    }
    Random seeded = new Random(42);
    CandidateOrder order = new CandidateOrder(() -> seeded);

    assertThat(order.of(new ArrayList<>(candidates), NOW, 1).get(0)).isSameAs(candidates.get(0));
    Set<Token> firsts = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      List<Token> tried = order.of(new ArrayList<>(candidates), NOW, 4);
      assertThat(tried).hasSize(10).containsExactlyInAnyOrderElementsOf(candidates);
      assertThat(tried.subList(4, 10))
          .as("beyond the spread, in order")
          .isEqualTo(candidates.subList(4, 10));
      firsts.add(tried.get(0));
    }
    assertThat(firsts)
        .as("the first try spreads over the first four")
        .hasSize(4)
        .isSubsetOf(candidates.subList(0, 4));
  }
}
