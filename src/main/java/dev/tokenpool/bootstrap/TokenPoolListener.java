package dev.tokenpool.bootstrap;

import ch.qos.logback.classic.LoggerContext;
import dev.tokenpool.admin.Credentials;
import dev.tokenpool.api.ApiApplication;
import dev.tokenpool.config.TokenPoolConfig;
import dev.tokenpool.persistence.Database;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;
import java.time.Clock;
import org.glassfish.jersey.servlet.ServletContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the node when the WAR is deployed and stops it on undeploy (declared in web.xml). A node
 * that cannot start (bad setting, unreachable or too old database, a pool that would shrink)
 * fails the deployment with the reason in the log, instead of serving errors.
 */
public final class TokenPoolListener implements ServletContextListener {

  private static final Logger log = LoggerFactory.getLogger(TokenPoolListener.class);
  private static final String NODE_ATTRIBUTE = TokenPoolNode.class.getName();

  @Override
  public void contextInitialized(ServletContextEvent event) {
    ServletContext context = event.getServletContext();
    try {
      TokenPoolConfig config = TokenPoolConfig.from(ContainerSettings.layered(context));
      Database database =
          ContainerSettings.containerDataSource()
              .map(Database::ofContainerDataSource)
              .orElseGet(() -> Database.open(config));
      TokenPoolNode node = TokenPoolNode.start(config, database, Clock.systemUTC());
      try {
        ServletRegistration.Dynamic api =
            context.addServlet(
                "tokenpool-api", new ServletContainer(
                    ApiApplication.create(
                        node.tokenService(),
                        node.jobs(),
                        Credentials.from(config),
                        node.health(),
                        node.metrics())));
        api.addMapping("/*");
        api.setLoadOnStartup(1);
        context.setAttribute(NODE_ATTRIBUTE, node);
      } catch (RuntimeException e) {
        node.close();
        throw e;
      }
    } catch (RuntimeException e) {
      log.error("tokenpool failed to start: {}", e.getMessage(), e);
      throw e;
    }
  }

  @Override
  public void contextDestroyed(ServletContextEvent event) {
    ServletContext context = event.getServletContext();
    Object node = context.getAttribute(NODE_ATTRIBUTE);
    try {
      if (node instanceof TokenPoolNode running) {
        context.removeAttribute(NODE_ATTRIBUTE);
        running.close();
      }
    } catch (RuntimeException e) {
      log.error("tokenpool did not stop cleanly: {}", e.getMessage(), e);
    } finally {
      JdbcDriverCleanup.run(getClass().getClassLoader());
      // Logback's own servlet hook is disabled in web.xml, so that the lines above still log.
      if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logging) {
        logging.stop();
      }
    }
  }
}
