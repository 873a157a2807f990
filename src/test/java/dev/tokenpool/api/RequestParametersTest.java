package dev.tokenpool.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenpool.tokens.OnFull;
import dev.tokenpool.tokens.TokenFilter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.UUID;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

final class RequestParametersTest {

  private static final String CANONICAL = "123e4567-e89b-12d3-a456-426614174000";

  /** Longer than any message should be, to check that bad values are abbreviated. */
  private static final String HUGE = "x".repeat(10_000);

  private static void assertRejected(ThrowingCallable call, String field) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> {
              assertThat(e.field()).isEqualTo(field);
              assertThat(e.getMessage()).startsWith(field + ": ");
            });
  }

  private static String base64Url(String text) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  @Nested
  final class LeaseOptions {

    @Test
    void aDurationIsAPositiveIsoDurationOrAbsent() {
      assertThat(RequestParameters.duration("lease", null)).isEmpty();
      assertThat(RequestParameters.duration("lease", "PT30S")).contains(Duration.ofSeconds(30));
      for (String bad : new String[] {"", "PT0S", "-PT5S", "30", "soon", HUGE}) {
        assertRejected(() -> RequestParameters.duration("lease", bad), "lease");
      }
    }

    @Test
    void onFullIsOneOfItsThreeWordsAndEvictByDefault() {
      assertThat(RequestParameters.onFull(null)).isEqualTo(OnFull.EVICT);
      assertThat(RequestParameters.onFull("evict")).isEqualTo(OnFull.EVICT);
      assertThat(RequestParameters.onFull("fail")).isEqualTo(OnFull.FAIL);
      assertThat(RequestParameters.onFull("wait")).isEqualTo(OnFull.WAIT);
      for (String bad : new String[] {"", "EVICT", "queue", HUGE}) {
        assertRejected(() -> RequestParameters.onFull(bad), "on_full");
      }
    }

    @Test
    void aFenceIsAWholeNumberFromOne() {
      assertThat(RequestParameters.fence("fence", 1L)).isEqualTo(1);
      assertThat(RequestParameters.fence("fence", "9223372036854775807")).isEqualTo(Long.MAX_VALUE);
      assertRejected(() -> RequestParameters.fence("fence", (Long) null), "fence");
      assertRejected(() -> RequestParameters.fence("fence", 0L), "fence");
      assertRejected(() -> RequestParameters.fence("fence", -3L), "fence");
      for (String bad : new String[] {"", "0", "-1", "1.5", "9223372036854775808", "abc", HUGE}) {
        assertRejected(() -> RequestParameters.fence("fence", bad), "fence");
      }
    }
  }

  @Nested
  final class Uuids {

    @Test
    void acceptsALowerCaseCanonicalUuid() {
      assertThat(RequestParameters.uuid("tokenId", CANONICAL))
          .isEqualTo(UUID.fromString(CANONICAL));
    }

    @Test
    void acceptsAnUpperCaseCanonicalUuid() {
      assertThat(RequestParameters.uuid("tokenId", CANONICAL.toUpperCase(Locale.ROOT)))
          .isEqualTo(UUID.fromString(CANONICAL));
    }

    @Test
    void acceptsARandomUuidInItsOwnStringForm() {
      UUID random = UUID.randomUUID();
      assertThat(RequestParameters.uuid("tokenId", random.toString())).isEqualTo(random);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(
        strings = {
          "1-1-1-1-1",
          "not-a-uuid",
          "   ",
          "{123e4567-e89b-12d3-a456-426614174000}",
          "123e4567-e89b-12d3-a456-42661417400g",
          "123e4567e89b12d3a456426614174000",
          " 123e4567-e89b-12d3-a456-426614174000"
        })
    void rejectsAnythingButTheCanonicalFormNamingTheField(String value) {
      assertRejected(() -> RequestParameters.uuid("tokenId", value), "tokenId");
      assertRejected(() -> RequestParameters.uuid("activationId", value), "activationId");
    }

    @Test
    void quotesTheRejectedValueInTheMessage() {
      assertThatThrownBy(() -> RequestParameters.uuid("tokenId", "1-1-1-1-1"))
          .hasMessageContaining("'1-1-1-1-1'");
    }

    @Test
    void abbreviatesALongRejectedValue() {
      assertThatThrownBy(() -> RequestParameters.uuid("tokenId", HUGE))
          .isInstanceOf(InvalidRequestException.class)
          .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(150));
    }
  }

  @Nested
  final class States {

    @ParameterizedTest
    @NullAndEmptySource
    void defaultsToAllWhenAbsent(String value) {
      assertThat(RequestParameters.state(value)).isEqualTo(TokenFilter.ALL);
    }

    @Test
    void readsActive() {
      assertThat(RequestParameters.state("active")).isEqualTo(TokenFilter.ACTIVE);
    }

    @Test
    void readsAvailableInUpperCase() {
      assertThat(RequestParameters.state("AVAILABLE")).isEqualTo(TokenFilter.AVAILABLE);
    }

    @Test
    void readsAll() {
      assertThat(RequestParameters.state("all")).isEqualTo(TokenFilter.ALL);
    }

    @ParameterizedTest
    @ValueSource(strings = {"expired", "actives", " active", "*"})
    void rejectsAnUnknownStateNamingTheStateField(String value) {
      assertRejected(() -> RequestParameters.state(value), "state");
    }

    @Test
    void abbreviatesALongUnknownState() {
      assertThatThrownBy(() -> RequestParameters.state(HUGE))
          .isInstanceOf(InvalidRequestException.class)
          .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(150));
    }
  }

  @Nested
  final class Limits {

    @ParameterizedTest
    @NullAndEmptySource
    void takesTheEndpointsDefaultWhenAbsent(String value) {
      assertThat(RequestParameters.limit(value, 100)).isEqualTo(100);
      assertThat(RequestParameters.limit(value, 50)).isEqualTo(50);
    }

    @Test
    void acceptsOne() {
      assertThat(RequestParameters.limit("1", 100)).isEqualTo(1);
    }

    @Test
    void acceptsOneThousand() {
      assertThat(RequestParameters.limit("1000", 100)).isEqualTo(1000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1001", "ten", "-5", "1.5", "99999999999"})
    void rejectsALimitOutsideOneToOneThousandNamingTheLimitField(String value) {
      assertRejected(() -> RequestParameters.limit(value, 100), "limit");
      assertThatThrownBy(() -> RequestParameters.limit(value, 100))
          .hasMessageContaining("'" + value + "'");
    }

    @Test
    void abbreviatesALongRejectedLimit() {
      assertThatThrownBy(() -> RequestParameters.limit(HUGE, 100))
          .isInstanceOf(InvalidRequestException.class)
          .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(150));
    }
  }

  @Nested
  final class Cursors {

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 99, Long.MAX_VALUE})
    void readsBackThePositionACursorCarries(long position) {
      assertThat(RequestParameters.position(RequestParameters.cursor(position), -1))
          .isEqualTo(position);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 99, Long.MAX_VALUE})
    void makesCursorsThatNeedNoEscapingInAUrl(long position) {
      assertThat(RequestParameters.cursor(position)).matches("[A-Za-z0-9_-]+");
    }

    @ParameterizedTest
    @NullAndEmptySource
    void returnsTheDefaultWhenTheCursorIsAbsent(String cursor) {
      assertThat(RequestParameters.position(cursor, 42)).isEqualTo(42);
    }

    @Test
    void rejectsGarbage() {
      assertRejected(() -> RequestParameters.position("garbage!", 0), "after");
    }

    @Test
    void rejectsTheBase64OfSomeOtherText() {
      assertRejected(() -> RequestParameters.position(base64Url("hello, world"), 0), "after");
    }

    @Test
    void rejectsACursorWithoutANumber() {
      assertRejected(() -> RequestParameters.position(base64Url("c1:abc"), 0), "after");
    }

    @Test
    void rejectsANegativePosition() {
      assertRejected(() -> RequestParameters.position(base64Url("c1:-1"), 0), "after");
      assertRejected(() -> RequestParameters.position(RequestParameters.cursor(-5), 0), "after");
    }

    @Test
    void rejectsPercentSigns() {
      assertRejected(() -> RequestParameters.position("%%%", 0), "after");
    }

    @Test
    void abbreviatesALongBadCursorInTheMessage() {
      assertRejected(() -> RequestParameters.position(HUGE, 0), "after");
      assertThatThrownBy(() -> RequestParameters.position(HUGE, 0))
          .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(150).contains("..."));
    }
  }
}
