package dev.tokenpool.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenEventsTest {

  @Test
  void aGuardedListenerPassesEveryEventOn() {
    List<String> heard = new ArrayList<>();
    TokenEvents guarded =
        TokenEvents.guarded(
            new TokenEvents() {
              @Override
              public void activated(boolean evicted) {
                heard.add("activated " + evicted);
              }

              @Override
              public void usagesEnded(EndReason reason, int count) {
                heard.add(reason + " " + count);
              }
            });

    guarded.activated(true);
    guarded.usagesEnded(EndReason.EXPIRED, 3);

    assertThat(heard).containsExactly("activated true", "EXPIRED 3");
  }

  @Test
  void aFailingListenerNeverReachesTheCaller() {
    TokenEvents broken =
        new TokenEvents() {
          @Override
          public void activated(boolean evicted) {
            throw new IllegalStateException("metrics bug");
          }

          @Override
          public void usagesEnded(EndReason reason, int count) {
            throw new IllegalStateException("metrics bug");
          }
        };

    TokenEvents guarded = TokenEvents.guarded(broken);

    assertThatCode(() -> guarded.activated(false)).doesNotThrowAnyException();
    assertThatCode(() -> guarded.usagesEnded(EndReason.RELEASED, 1)).doesNotThrowAnyException();
  }
}
