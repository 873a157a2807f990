package dev.tokenpool.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A token's state at a moment: active strictly before its expiry, available from it on. */
final class TokenTest {

  private static final Instant ACTIVATED = Instant.parse("2026-11-24T10:00:00Z");
  private static final Instant EXPIRES = ACTIVATED.plus(Duration.ofMinutes(2));

  @Test
  void aTokenNobodyHoldsIsAvailableAtAnyMoment() {
    Token token = new Token(UUID.randomUUID(), 1);

    assertThat(token.isHeld()).isFalse();
    assertThat(token.isActiveAt(ACTIVATED)).isFalse();
    assertThat(token.isExpiredAt(EXPIRES)).isFalse();
    assertThat(token.viewAt(ACTIVATED).state()).isEqualTo(TokenState.AVAILABLE);
  }

  @Test
  void aHeldTokenIsActiveUntilTheMillisecondBeforeItsExpiry() throws Exception {
    Token token = held();

    assertThat(token.isActiveAt(ACTIVATED)).isTrue();
    assertThat(token.isActiveAt(EXPIRES.minusMillis(1))).isTrue();
    assertThat(token.isActiveAt(EXPIRES)).isFalse();
    assertThat(token.isExpiredAt(EXPIRES)).isTrue();
  }

  @Test
  void anExpiredTokenIsShownAvailableWithoutItsFormerHolder() throws Exception {
    Token token = held();

    TokenView active = token.viewAt(EXPIRES.minusMillis(1));
    TokenView expired = token.viewAt(EXPIRES);

    assertThat(active.state()).isEqualTo(TokenState.ACTIVE);
    assertThat(active.activatedAt()).isEqualTo(ACTIVATED);
    assertThat(active.expiresAt()).isEqualTo(EXPIRES);
    assertThat(expired)
        .isEqualTo(new TokenView(token.id(), TokenState.AVAILABLE, null, null, null, null));
  }

  /** A token as the database returns it while a usage holds it. */
  private static Token held() throws Exception {
    Token token = new Token(UUID.randomUUID(), 1);
    set(token, "currentUsageId", 7L);
    set(token, "currentUserId", UUID.randomUUID().toString());
    set(token, "activatedAt", ACTIVATED);
    set(token, "expiresAt", EXPIRES);
    return token;
  }

  private static void set(Token token, String field, Object value) throws Exception {
    Field f = Token.class.getDeclaredField(field);
    f.setAccessible(true);
    f.set(token, value);
  }
}
