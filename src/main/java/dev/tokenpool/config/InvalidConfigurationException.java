package dev.tokenpool.config;

/** A setting has a value the service cannot run with; the message names the setting. */
public final class InvalidConfigurationException extends RuntimeException {

  private final String setting;

  public InvalidConfigurationException(String setting, String message) {
    super(setting + ": " + message);
    this.setting = setting;
  }

  public String setting() {
    return setting;
  }
}
