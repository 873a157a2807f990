package dev.tokenpool.persistence;

import java.util.List;
import javax.sql.DataSource;
import org.hibernate.SessionFactory;
import org.hibernate.boot.registry.StandardServiceRegistry;
import org.hibernate.boot.registry.StandardServiceRegistryBuilder;
import org.hibernate.cfg.AvailableSettings;
import org.hibernate.cfg.Configuration;

/** Builds the Hibernate session factory over a migrated database; Flyway owns the schema. */
public final class SessionFactories {

  private SessionFactories() {}

  public static SessionFactory build(Database database, List<Class<?>> entityClasses) {
    return build(database, database.dataSource(), entityClasses);
  }

  /**
   * A session factory on {@code connections}: the database's own DataSource, or one that wraps it
   * (with a span for each statement, dev.tokenpool.tracing).
   */
  public static SessionFactory build(
      Database database, DataSource connections, List<Class<?>> entityClasses) {
    StandardServiceRegistry registry =
        new StandardServiceRegistryBuilder()
            .applySetting(AvailableSettings.JAKARTA_NON_JTA_DATASOURCE, connections)
            // The dialect follows the server's real version (Connector/J misreports MariaDB's).
            .applySetting(
                AvailableSettings.JAKARTA_HBM2DDL_DB_NAME, database.vendor().productName())
            .applySetting(
                AvailableSettings.JAKARTA_HBM2DDL_DB_MAJOR_VERSION,
                String.valueOf(database.majorVersion()))
            .applySetting(
                AvailableSettings.JAKARTA_HBM2DDL_DB_MINOR_VERSION,
                String.valueOf(database.minorVersion()))
            // The dialect is known from the settings above: no connection, and no wait for one,
            // while the node starts.
            .applySetting(AvailableSettings.ALLOW_METADATA_ON_BOOT, "false")
            .applySetting(AvailableSettings.HBM2DDL_AUTO, "none")
            .applySetting(AvailableSettings.STATEMENT_BATCH_SIZE, "200")
            .applySetting(AvailableSettings.ORDER_INSERTS, "true")
            // Our pool hands out connections with auto-commit off already; a container's may not.
            .applySetting(
                AvailableSettings.CONNECTION_PROVIDER_DISABLES_AUTOCOMMIT,
                String.valueOf(database.owned()))
            .applySetting(AvailableSettings.SHOW_SQL, "false")
            .build();
    try {
      Configuration configuration = new Configuration();
      entityClasses.forEach(configuration::addAnnotatedClass);
      return configuration.buildSessionFactory(registry);
    } catch (RuntimeException e) {
      StandardServiceRegistryBuilder.destroy(registry);
      throw e;
    }
  }
}
