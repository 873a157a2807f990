package dev.tokenpool.config;

import java.util.Optional;

/** Where a named setting (such as {@code TOKENPOOL_POOL_SIZE}) may be found. */
@FunctionalInterface
public interface SettingSource {

  /** The raw value of the setting, or empty when this source does not define it. */
  Optional<String> find(String name);

  /** Java system properties ({@code -DTOKENPOOL_POOL_SIZE=10}). */
  static SettingSource systemProperties() {
    return name -> Optional.ofNullable(System.getProperty(name));
  }

  /** The process environment. */
  static SettingSource environment() {
    return name -> Optional.ofNullable(System.getenv(name));
  }

  /**
   * The first source that defines a setting wins; a blank value counts as undefined so that an
   * exported but empty variable does not shadow a lower layer.
   */
  static SettingSource firstOf(SettingSource... sources) {
    return name -> {
      for (SettingSource source : sources) {
        Optional<String> value = source.find(name).map(String::trim).filter(v -> !v.isEmpty());
        if (value.isPresent()) {
          return value;
        }
      }
      return Optional.empty();
    };
  }
}
