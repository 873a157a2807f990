package dev.tokenpool.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

final class TimedCacheTest {

  private final AtomicLong nanos = new AtomicLong();
  private final AtomicInteger reads = new AtomicInteger();
  private final TimedCache<String, String> cache =
      new TimedCache<>(Duration.ofSeconds(5), nanos::get);

  private Optional<String> read(String key) {
    reads.incrementAndGet();
    return key.startsWith("known") ? Optional.of("value of " + key) : Optional.empty();
  }

  @Test
  void aFoundValueIsReadOnceWhileFreshAndAgainOnceStale() {
    assertThat(cache.get("known", this::read)).contains("value of known");
    nanos.addAndGet(Duration.ofSeconds(4).toNanos());
    assertThat(cache.get("known", this::read)).contains("value of known");
    assertThat(reads).hasValue(1);

    nanos.addAndGet(Duration.ofSeconds(1).toNanos());
    cache.get("known", this::read);

    assertThat(reads).hasValue(2);
  }

  @Test
  void anUnknownKeyIsNeverCachedSoEachAskReadsAgain() {
    cache.get("made-up", this::read);
    cache.get("made-up", this::read);

    assertThat(reads).hasValue(2);
  }

  @Test
  void aValuePutIsPeekedWhileFreshOnly() {
    cache.put("k", "v");
    assertThat(cache.peek("k")).contains("v");

    nanos.addAndGet(Duration.ofSeconds(5).toNanos());

    assertThat(cache.peek("k")).isEmpty();
    assertThat(cache.peek("never")).isEmpty();
  }

  @Test
  void aForgottenValueIsReadAgainAtOnce() {
    cache.get("known-1", this::read);
    cache.get("known-2", this::read);

    cache.forget("known-1");
    cache.forgetIf(value -> value.endsWith("2"));
    cache.get("known-1", this::read);
    cache.get("known-2", this::read);

    assertThat(reads).hasValue(4);
  }
}
