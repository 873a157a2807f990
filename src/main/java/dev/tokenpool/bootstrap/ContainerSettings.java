package dev.tokenpool.bootstrap;

import dev.tokenpool.config.SettingSource;
import jakarta.servlet.ServletContext;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import javax.naming.InitialContext;
import javax.naming.NameNotFoundException;
import javax.naming.NamingException;
import javax.naming.NoInitialContextException;
import javax.sql.DataSource;

/** The settings and resources a servlet container can hand to the application. */
final class ContainerSettings {

  /** JNDI name of a container-provided DataSource; when bound it wins over TOKENPOOL_DB_URL. */
  static final String DATASOURCE_JNDI_NAME = "java:comp/env/jdbc/tokenpool";

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

  static Optional<DataSource> containerDataSource() {
    return lookup(DATASOURCE_JNDI_NAME)
        .filter(DataSource.class::isInstance)
        .map(DataSource.class::cast);
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
