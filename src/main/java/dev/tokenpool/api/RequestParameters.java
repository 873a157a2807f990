package dev.tokenpool.api;

import dev.tokenpool.tokens.OnFull;
import dev.tokenpool.tokens.TokenFilter;
import dev.tokenpool.tokens.UserIds;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** Strict parsing of path, query and body values; each failure names the value at fault. */
final class RequestParameters {

  static final int MAX_LIMIT = 1000;

  /** The canonical 8-4-4-4-12 form only: {@link UUID#fromString} also accepts "1-1-1-1-1". */
  private static final Pattern UUID_FORM =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private static final String CURSOR_PREFIX = "c1:";
  private static final Pattern DIGITS = Pattern.compile("[0-9]{1,19}");

  private RequestParameters() {}

  static UUID uuid(String field, String value) {
    if (value == null || value.isBlank()) {
      throw new InvalidRequestException(field, "is required");
    }
    if (!UUID_FORM.matcher(value).matches()) {
      throw new InvalidRequestException(field, "'" + abbreviate(value) + "' is not a UUID");
    }
    return UUID.fromString(value);
  }

  /** A user id: an opaque string ({@link UserIds}). */
  static String userId(String field, String value) {
    Optional<String> problem = UserIds.problemWith(value);
    if (problem.isPresent()) {
      throw new InvalidRequestException(
          field,
          value == null || value.isEmpty()
              ? problem.get()
              : "'" + abbreviate(value.replaceAll("\\p{Cntrl}", "?")) + "' " + problem.get());
    }
    return value;
  }

  static TokenFilter state(String value) {
    if (value == null || value.isEmpty()) {
      return TokenFilter.ALL;
    }
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "all" -> TokenFilter.ALL;
      case "active" -> TokenFilter.ACTIVE;
      case "available" -> TokenFilter.AVAILABLE;
      default ->
          throw new InvalidRequestException(
              "state", "'" + abbreviate(value) + "' is not one of all, active, available");
    };
  }

  /** A page size from 1 to {@link #MAX_LIMIT}; {@code whenAbsent} when the client sent none. */
  static int limit(String value, int whenAbsent) {
    if (value == null || value.isEmpty()) {
      return whenAbsent;
    }
    if (value.length() <= 4 && DIGITS.matcher(value).matches()) {
      int limit = Integer.parseInt(value);
      if (limit >= 1 && limit <= MAX_LIMIT) {
        return limit;
      }
    }
    throw new InvalidRequestException(
        "limit", "'" + abbreviate(value) + "' must be a whole number from 1 to " + MAX_LIMIT);
  }

  /** Cursors are opaque to clients; inside they carry the position to continue after. */
  static String cursor(long position) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((CURSOR_PREFIX + position).getBytes(StandardCharsets.UTF_8));
  }

  /** The id of the last event a stream's client saw: a non-negative decimal integer. */
  static long lastEventId(String value) {
    if (value.length() <= 18 && DIGITS.matcher(value).matches()) {
      return Long.parseLong(value);
    }
    throw new InvalidRequestException(
        "Last-Event-ID",
        "'" + abbreviate(value.replaceAll("\\p{Cntrl}", "?")) + "' is not an event id");
  }

  /** The position a cursor carries, or {@code whenAbsent} for the first page. */
  static long position(String cursor, long whenAbsent) {
    if (cursor == null || cursor.isEmpty()) {
      return whenAbsent;
    }
    try {
      String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      String digits =
          decoded.startsWith(CURSOR_PREFIX) ? decoded.substring(CURSOR_PREFIX.length()) : "";
      if (DIGITS.matcher(digits).matches()) {
        return Long.parseLong(digits);
      }
    } catch (IllegalArgumentException e) {
      // reported below (NumberFormatException is an IllegalArgumentException)
    }
    throw new InvalidRequestException(
        "after", "'" + abbreviate(cursor) + "' is not a cursor this API returned");
  }

  /** A lease or wait: a positive ISO-8601 duration, or empty when the client sent none. */
  static Optional<Duration> duration(String field, String value) {
    if (value == null) {
      return Optional.empty();
    }
    try {
      Duration duration = Duration.parse(value);
      if (!duration.isNegative() && !duration.isZero()) {
        return Optional.of(duration);
      }
    } catch (DateTimeParseException e) {
      // reported below
    }
    throw new InvalidRequestException(
        field, "'" + abbreviate(value) + "' is not a positive ISO-8601 duration such as PT30S");
  }

  /** What an activation does when the pool is full; {@code evict} when absent. */
  static OnFull onFull(String value) {
    if (value == null) {
      return OnFull.EVICT;
    }
    return switch (value) {
      case "evict" -> OnFull.EVICT;
      case "fail" -> OnFull.FAIL;
      case "wait" -> OnFull.WAIT;
      default ->
          throw new InvalidRequestException(
              "on_full", "'" + abbreviate(value) + "' is not one of evict, fail, wait");
    };
  }

  /** A fence in a body: a JSON integer from 1. */
  static long fence(String field, Long value) {
    if (value == null) {
      throw new InvalidRequestException(field, "is required");
    }
    if (value < 1) {
      throw new InvalidRequestException(field, value + " is not a fence (a whole number from 1)");
    }
    return value;
  }

  /** A fence in a path: digits only, from 1. */
  static long fence(String field, String value) {
    if (value != null && DIGITS.matcher(value).matches()) {
      try {
        return fence(field, Long.parseLong(value));
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    throw new InvalidRequestException(
        field,
        "'" + abbreviate(String.valueOf(value)) + "' is not a fence (a whole number from 1)");
  }

  static String abbreviate(String value) {
    return value.length() <= 64 ? value : value.substring(0, 61) + "...";
  }
}
