package dev.tokenpool.logging;

import java.util.regex.Pattern;

/**
 * The last line of defence against a credential in a log line: what looks like one of our API keys
 * ({@code tpk_}) or console sessions ({@code tps_}), a bearer or Basic credential, or a JWT is
 * replaced by {@value #REDACTED}. The code never logs a credential on purpose (a test checks that);
 * this catches one inside a third party's message or an exception's text.
 */
final class Redaction {

  static final String REDACTED = "[redacted]";

  private static final Pattern OUR_SECRETS = Pattern.compile("\\b(tp[ks]_)[A-Za-z0-9_-]{16,}");
  private static final Pattern AUTHORIZATION =
      Pattern.compile("(?i)\\b(bearer|basic)(\\s+)[A-Za-z0-9._~+/=-]{8,}");
  private static final Pattern JWT =
      Pattern.compile("\\beyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*");

  private Redaction() {}

  static String scrub(String text) {
    if (text == null || text.length() < 8) {
      return text;
    }
    String clean = text;
    // Cheap checks first: almost every line has none of these and costs no regular expression.
    if (clean.contains("tpk_") || clean.contains("tps_")) {
      clean = OUR_SECRETS.matcher(clean).replaceAll("$1" + REDACTED);
    }
    if (containsIgnoringCase(clean, "bearer") || containsIgnoringCase(clean, "basic")) {
      clean = AUTHORIZATION.matcher(clean).replaceAll("$1$2" + REDACTED);
    }
    if (clean.contains("eyJ")) {
      clean = JWT.matcher(clean).replaceAll(REDACTED);
    }
    return clean;
  }

  private static boolean containsIgnoringCase(String text, String word) {
    for (int i = 0; i + word.length() <= text.length(); i++) {
      if (text.regionMatches(true, i, word, 0, word.length())) {
        return true;
      }
    }
    return false;
  }
}
