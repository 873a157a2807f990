package dev.tokenpool.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

final class RateLimitTest {

  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final RateLimit limit = new RateLimit(10, 20, nanos::get);

  @Test
  void aClientMaySendItsBurstAtOnceAndIsThenRefused() {
    for (int i = 0; i < 20; i++) {
      assertThat(limit.acquire("a").allowed()).isTrue();
    }

    RateLimit.Decision refused = limit.acquire("a");

    assertThat(refused.allowed()).isFalse();
    assertThat(refused.remaining()).isZero();
    assertThat(refused.resetSeconds()).isEqualTo(1);
  }

  @Test
  void theBucketRefillsAtTheRateAndClientsAreCountedApart() {
    for (int i = 0; i < 20; i++) {
      limit.acquire("a");
    }
    assertThat(limit.acquire("b").allowed()).isTrue();

    nanos.addAndGet(500_000_000L); // half a second: five requests' worth

    for (int i = 0; i < 5; i++) {
      assertThat(limit.acquire("a").allowed()).isTrue();
    }
    assertThat(limit.acquire("a").allowed()).isFalse();
  }

  @Test
  void theHeadersFollowTheIetfDraft() {
    RateLimit.Decision first = limit.acquire("a");

    assertThat(first.policyHeader()).isEqualTo("\"client\";q=20;w=2");
    assertThat(first.header()).isEqualTo("\"client\";r=19;t=1");
  }
}
