package dev.tokenpool.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md is the one place the settings are described: every setting the node reads
 * has a row in its "Settings" section, and a default the code has is shown there as it is.
 */
class ConfigurationDocsTest {

  private static final Path DOC = Path.of("docs/configuration.md");
  private static final Pattern BACKTICKED = Pattern.compile("`([^`]+)`");

  /** Settings that switch on the parts of the configuration read only when they are set. */
  private static final Map<String, String> SWITCHES =
      Map.of(
          TokenPoolConfig.NODE_ID, "docs-node",
          OidcSettings.OIDC_ISSUER, "https://id.example.com",
          OidcSettings.OIDC_AUDIENCE, "tokenpool-api",
          ConsoleLoginSettings.OIDC_CONSOLE_CLIENT_ID, "console");

  @Test
  void everySettingTheNodeReadsIsDocumentedWithTheDefaultItHas() throws IOException {
    Map<String, Object> reads = new LinkedHashMap<>();
    TokenPoolConfig.from(
        name -> Optional.ofNullable(SWITCHES.get(name)),
        (name, defaultValue) -> {
          if (defaultValue != null || !reads.containsKey(name)) {
            reads.put(name, defaultValue);
          }
        });
    Map<String, String> documented = documentedDefaults();

    assertThat(reads).as("settings read").hasSizeGreaterThan(40);
    List<String> problems = new ArrayList<>();
    reads.forEach(
        (name, defaultValue) -> {
          if (!documented.containsKey(name)) {
            problems.add(name + " is read but has no row in " + DOC);
          } else if (defaultValue != null
              && !SWITCHES.containsKey(name)
              && !shows(documented.get(name), defaultValue)) {
            problems.add(
                name
                    + " defaults to "
                    + defaultValue
                    + " but "
                    + DOC
                    + " shows: "
                    + documented.get(name));
          }
        });
    assertThat(problems).isEmpty();
  }

  /** The default cell of each setting's row in the Settings section (a row may name several). */
  private static Map<String, String> documentedDefaults() throws IOException {
    String text = Files.readString(DOC);
    int start = text.indexOf("\n## Settings");
    int end = text.indexOf("\n## ", start + 1);
    Map<String, String> defaults = new LinkedHashMap<>();
    for (String line : text.substring(start, end).split("\n")) {
      if (!line.startsWith("| `TOKENPOOL_")) {
        continue;
      }
      String[] cells = line.split("(?<!\\\\)\\|");
      Matcher names = BACKTICKED.matcher(cells[1]);
      while (names.find()) {
        defaults.put(names.group(1), cells[2].strip());
      }
    }
    return defaults;
  }

  /** Whether one of the cell's literals is the default (durations compared as durations). */
  private static boolean shows(String cell, Object defaultValue) {
    Matcher literal = BACKTICKED.matcher(cell);
    while (literal.find()) {
      String shown = literal.group(1);
      if (defaultValue instanceof Duration duration) {
        try {
          if (Duration.parse(shown).equals(duration)) {
            return true;
          }
        } catch (DateTimeParseException e) {
          // another literal of the cell, such as a setting's name
        }
      } else if (shown.replace(",", "").replace("_", "").equals(String.valueOf(defaultValue))) {
        return true;
      }
    }
    return false;
  }
}
