package dev.tokenpool.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.BiConsumer;

/** Typed, validated reads of named settings; every failure names the setting and its value. */
final class Settings {

  private final SettingSource source;
  private final BiConsumer<String, Object> reads;

  Settings(SettingSource source) {
    this(source, (name, defaultValue) -> {});
  }

  /**
   * @param reads told of every setting read, with its default (null: none, or one the caller works
   *     out itself): how a test finds every setting and its default
   */
  Settings(SettingSource source, BiConsumer<String, Object> reads) {
    this.source = source;
    this.reads = reads;
  }

  Optional<String> text(String name) {
    reads.accept(name, null);
    return source.find(name);
  }

  /** A text setting with a default (told to {@code reads}, unlike {@link #text(String)}). */
  String text(String name, String defaultValue) {
    reads.accept(name, defaultValue);
    return source.find(name).orElse(defaultValue);
  }

  /**
   * A secret from {@code name}, or from the file that {@code name_FILE} names (the container
   * secrets convention), without the file's trailing line break. Setting both is an error: one of
   * them would be silently ignored.
   */
  Optional<String> secret(String name) {
    Optional<String> direct = text(name);
    String fileSetting = name + "_FILE";
    reads.accept(fileSetting, null);
    Optional<String> file = source.find(fileSetting);
    if (file.isEmpty()) {
      return direct;
    }
    if (direct.isPresent()) {
      throw new InvalidConfigurationException(
          fileSetting, "set either " + name + " or " + fileSetting + ", not both");
    }
    try {
      String content = java.nio.file.Files.readString(Path.of(file.get()));
      String secret = content.replaceAll("[\\r\\n]+$", "");
      if (secret.isEmpty()) {
        throw new InvalidConfigurationException(
            fileSetting, "the file " + file.get() + " is empty");
      }
      return Optional.of(secret);
    } catch (java.io.IOException | InvalidPathException e) {
      throw new InvalidConfigurationException(
          fileSetting,
          "cannot read the file " + file.get() + " (" + e.getClass().getSimpleName() + ")");
    }
  }

  int integer(String name, int defaultValue, int min, int max) {
    reads.accept(name, defaultValue);
    Optional<String> raw = source.find(name);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    try {
      int value = Integer.parseInt(raw.get());
      if (value < min || value > max) {
        throw outOfRange(name, raw.get(), min, max);
      }
      return value;
    } catch (NumberFormatException e) {
      throw outOfRange(name, raw.get(), min, max);
    }
  }

  Duration duration(String name, Duration defaultValue, Duration min, Duration max) {
    reads.accept(name, defaultValue);
    Optional<String> raw = source.find(name);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    Duration value;
    try {
      value = Duration.parse(raw.get());
    } catch (DateTimeParseException e) {
      throw new InvalidConfigurationException(
          name, "'" + raw.get() + "' is not an ISO-8601 duration such as PT2M or PT30S");
    }
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new InvalidConfigurationException(
          name, "'" + raw.get() + "' must lie between " + min + " and " + max);
    }
    return value;
  }

  /** A duration setting without a default: empty when unset. */
  Optional<Duration> optionalDuration(String name, Duration min, Duration max) {
    reads.accept(name, null);
    return source.find(name).isEmpty()
        ? Optional.empty()
        : Optional.of(duration(name, null, min, max));
  }

  boolean bool(String name, boolean defaultValue) {
    reads.accept(name, defaultValue);
    Optional<String> raw = source.find(name);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    return switch (raw.get().toLowerCase(java.util.Locale.ROOT)) {
      case "true", "yes", "on", "1" -> true;
      case "false", "no", "off", "0" -> false;
      default ->
          throw new InvalidConfigurationException(
              name, "'" + raw.get() + "' is not a boolean (true or false)");
    };
  }

  Path path(String name, Path defaultValue) {
    reads.accept(name, defaultValue);
    Optional<String> raw = source.find(name);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    try {
      return Path.of(raw.get());
    } catch (InvalidPathException e) {
      throw new InvalidConfigurationException(name, "'" + raw.get() + "' is not a valid path");
    }
  }

  private static InvalidConfigurationException outOfRange(
      String name, String raw, int min, int max) {
    return new InvalidConfigurationException(
        name, "'" + raw + "' must be a whole number from " + min + " to " + max);
  }
}
