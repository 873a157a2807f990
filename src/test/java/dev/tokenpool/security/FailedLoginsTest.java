package dev.tokenpool.security;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

final class FailedLoginsTest {

  private final AtomicLong nanos = new AtomicLong();
  private final FailedLogins logins = new FailedLogins(30, nanos::get);

  @Test
  void thirtyFailuresAMinuteAreToleratedAndTheThirtyFirstRequestIsRefused() {
    for (int i = 0; i < 29; i++) {
      logins.recordFailure("10.0.0.1");
    }
    assertThatCode(() -> logins.checkAllowed("10.0.0.1")).doesNotThrowAnyException();

    logins.recordFailure("10.0.0.1");

    assertThatThrownBy(() -> logins.checkAllowed("10.0.0.1"))
        .isInstanceOf(TooManyRequestsException.class)
        .extracting(e -> ((TooManyRequestsException) e).retryAfterSeconds())
        .isEqualTo(60L);
    assertThatCode(() -> logins.checkAllowed("10.0.0.2")).doesNotThrowAnyException();
  }

  @Test
  void theAddressIsAllowedAgainWhenItsMinuteIsOver() {
    for (int i = 0; i < 30; i++) {
      logins.recordFailure("10.0.0.1");
    }
    nanos.addAndGet(59_000_000_000L);
    assertThatThrownBy(() -> logins.checkAllowed("10.0.0.1"))
        .extracting(e -> ((TooManyRequestsException) e).retryAfterSeconds())
        .isEqualTo(1L);

    nanos.addAndGet(1_000_000_000L);

    assertThatCode(() -> logins.checkAllowed("10.0.0.1")).doesNotThrowAnyException();
  }
}
