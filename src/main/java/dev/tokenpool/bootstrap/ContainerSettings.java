package dev.tokenpool.bootstrap;

import dev.tokenpool.config.DatabaseSettings;
import dev.tokenpool.config.InvalidConfigurationException;
import dev.tokenpool.config.SettingSource;
import jakarta.servlet.ServletContext;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import javax.naming.InitialContext;
import javax.naming.NameNotFoundException;
import javax.naming.NamingException;
import javax.naming.NoInitialContextException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The settings and resources a servlet container can hand to the application. */
final class ContainerSettings {

  private static final Logger log = LoggerFactory.getLogger(ContainerSettings.class);

  private ContainerSettings() {}

  /**
   * Layers, first wins: system properties, environment, JNDI environment entries ({@code
   * <Environment>} in context.xml), servlet context parameters.
   */
  static SettingSource layered(ServletContext context) {
    return SettingSource.firstOf(
        SettingSource.systemProperties(),
        SettingSource.environment(),
        ContainerSettings::jndiEntry,
        name -> Optional.ofNullable(context.getInitParameter(name)));
  }

  /**
   * The servlet context parameters named {@code OTEL_*} (the web.xml's, or a {@code <Parameter>} of
   * Tomcat's context.xml): the container's layer of the OpenTelemetry settings, below the system
   * properties and the environment that the SDK reads itself.
   */
  static Map<String, String> openTelemetryParameters(ServletContext context) {
    Map<String, String> parameters = new HashMap<>();
    for (String name : Collections.list(context.getInitParameterNames())) {
      if (name.startsWith("OTEL_")) {
        parameters.put(name, context.getInitParameter(name));
      }
    }
    return parameters;
  }

  /**
   * The container's DataSource, which wins over TOKENPOOL_DB_URL: the one named by {@value
   * DatabaseSettings#DATASOURCE_JNDI}, which must then be bound, or else whatever DataSource is
   * bound at {@value DatabaseSettings#DEFAULT_DATASOURCE_JNDI}.
   */
  static Optional<DataSource> containerDataSource(DatabaseSettings database) {
    Optional<DataSource> found = containerDataSource(database, ContainerSettings::lookup);
    found.ifPresent(
        dataSource ->
            log.info(
                "Using the container's DataSource at {}",
                database.dataSourceJndi().orElse(DatabaseSettings.DEFAULT_DATASOURCE_JNDI)));
    return found;
  }

  static Optional<DataSource> containerDataSource(
      DatabaseSettings database, Function<String, Optional<Object>> lookup) {
    Optional<String> named = database.dataSourceJndi();
    if (named.isEmpty()) {
      return lookup
          .apply(DatabaseSettings.DEFAULT_DATASOURCE_JNDI)
          .filter(DataSource.class::isInstance)
          .map(DataSource.class::cast);
    }
    String name = named.get();
    // Named on purpose: falling back to TOKENPOOL_DB_URL or the embedded database would start a
    // node on another database than the operator meant.
    Object bound =
        lookup
            .apply(name)
            .orElseThrow(
                () ->
                    new InvalidConfigurationException(
                        DatabaseSettings.DATASOURCE_JNDI,
                        "no DataSource is bound at '"
                            + name
                            + "' (nothing under that name, or no JNDI in this container);"
                            + " bind one there, or unset the setting"));
    if (bound instanceof DataSource dataSource) {
      return Optional.of(dataSource);
    }
    throw new InvalidConfigurationException(
        DatabaseSettings.DATASOURCE_JNDI,
        "'" + name + "' is bound to a " + bound.getClass().getName() + ", not a DataSource");
  }

  private static Optional<String> jndiEntry(String name) {
    return lookup("java:comp/env/" + name).map(Object::toString);
  }

  private static Optional<Object> lookup(String name) {
    try {
      InitialContext context = new InitialContext();
      try {
        return Optional.ofNullable(context.lookup(name));
      } finally {
        context.close();
      }
    } catch (NameNotFoundException | NoInitialContextException e) {
      // No naming service, or nothing bound under that name: the setting is simply not here.
      return Optional.empty();
    } catch (NamingException e) {
      // Something is bound but cannot be built (a broken <Resource>): say so, do not guess.
      Throwable cause = e.getRootCause() != null ? e.getRootCause() : e;
      throw new IllegalStateException("JNDI entry " + name + " cannot be read: " + cause, cause);
    }
  }
}
