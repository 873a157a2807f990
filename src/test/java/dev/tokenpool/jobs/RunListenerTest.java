package dev.tokenpool.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunListenerTest {

  @Test
  void aGuardedListenerHearsEveryRun() {
    List<String> heard = new ArrayList<>();
    RunListener guarded =
        RunListener.guarded((job, outcome, duration) -> heard.add(job + " " + outcome));

    guarded.runFinished("expire-tokens", RunOutcome.SUCCESS, Duration.ofMillis(3));

    assertThat(heard).containsExactly("expire-tokens SUCCESS");
  }

  @Test
  void aFailingListenerNeverReachesTheRun() {
    RunListener guarded =
        RunListener.guarded(
            (job, outcome, duration) -> {
              throw new IllegalStateException("metrics bug");
            });

    assertThatCode(() -> guarded.runFinished("expire-tokens", RunOutcome.FAILED, Duration.ZERO))
        .doesNotThrowAnyException();
  }
}
