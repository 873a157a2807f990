package dev.tokenpool.persistence;

import java.util.List;
import org.hibernate.SessionFactory;
import org.hibernate.boot.registry.StandardServiceRegistry;
import org.hibernate.boot.registry.StandardServiceRegistryBuilder;
import org.hibernate.cfg.AvailableSettings;
import org.hibernate.cfg.Configuration;

/** Builds the Hibernate session factory over a migrated database; Flyway owns the schema. */
public final class SessionFactories {

  private SessionFactories() {}

  public static SessionFactory build(Database database, List<Class<?>> entityClasses) {
    StandardServiceRegistry registry =
        new StandardServiceRegistryBuilder()
            .applySetting(AvailableSettings.JAKARTA_NON_JTA_DATASOURCE, database.dataSource())
            .applySetting(AvailableSettings.DIALECT, database.vendor().hibernateDialect())
            .applySetting(AvailableSettings.HBM2DDL_AUTO, "none")
            .applySetting(AvailableSettings.STATEMENT_BATCH_SIZE, "200")
            .applySetting(AvailableSettings.ORDER_INSERTS, "true")
            .applySetting(AvailableSettings.CONNECTION_PROVIDER_DISABLES_AUTOCOMMIT, "true")
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
