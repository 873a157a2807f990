package dev.tokenpool.tokens;

import java.util.Optional;

/**
 * What a user id may be: an opaque string of 1 to 255 characters, as identity providers issue
 * subjects ({@code auth0|5f7c...}, UUIDs, Entra's base64 ids). No control characters, and no white
 * space at either end: the database compares ids with a collation that ignores trailing spaces, so
 * two ids that differ only there must not both be accepted.
 */
public final class UserIds {

  public static final int MAX_LENGTH = 255;

  private UserIds() {}

  /** Why the id is not acceptable, or empty if it is. */
  public static Optional<String> problemWith(String id) {
    if (id == null || id.isEmpty()) {
      return Optional.of("is required");
    }
    if (id.length() > MAX_LENGTH) {
      return Optional.of("must be at most " + MAX_LENGTH + " characters");
    }
    if (id.chars().anyMatch(Character::isISOControl)) {
      return Optional.of("must not contain control characters");
    }
    if (Character.isWhitespace(id.charAt(0))
        || Character.isWhitespace(id.charAt(id.length() - 1))) {
      return Optional.of("must not begin or end with white space");
    }
    return Optional.empty();
  }
}
