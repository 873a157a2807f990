package dev.tokenpool.bootstrap;

import ch.qos.logback.classic.LoggerContext;
import dev.tokenpool.admin.Credentials;
import dev.tokenpool.api.ApiApplication;
import dev.tokenpool.api.ApiSecurity;
import dev.tokenpool.api.ClientAddress;
import dev.tokenpool.api.SecurityHeaders;
import dev.tokenpool.api.UnreadBodyDrain;
import dev.tokenpool.config.ClientSettings;
import dev.tokenpool.config.TokenPoolConfig;
import dev.tokenpool.console.ConsoleServlet;
import dev.tokenpool.console.ProviderLogin;
import dev.tokenpool.logging.LogFields;
import dev.tokenpool.logging.RequestLogContext;
import dev.tokenpool.persistence.Database;
import dev.tokenpool.security.FailedLogins;
import dev.tokenpool.security.RateLimit;
import dev.tokenpool.tracing.Tracing;
import dev.tokenpool.tracing.TracingSettings;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;
import java.util.Optional;
import org.glassfish.jersey.servlet.ServletContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the node when the WAR is deployed and stops it on undeploy (declared in web.xml). A node
 * that cannot start (bad setting, unreachable or too old database, a pool that would shrink) fails
 * the deployment with the reason in the log, instead of serving errors, and under deploy/run.sh
 * ends the process.
 */
public final class TokenPoolListener implements ServletContextListener {

  private static final Logger log = LoggerFactory.getLogger(TokenPoolListener.class);
  private static final String NODE_ATTRIBUTE = TokenPoolNode.class.getName();
  static final String EXIT_ON_FAILURE = "tokenpool.exitOnStartFailure";

  @Override
  public void contextInitialized(ServletContextEvent event) {
    ServletContext context = event.getServletContext();
    try {
      TokenPoolConfig config = TokenPoolConfig.from(ContainerSettings.layered(context));
      LogFields.nodeOfThisProcess(config.nodeId());
      Tracing tracing =
          Tracing.start(
              TracingSettings.read(ContainerSettings.openTelemetryParameters(context)),
              config.nodeId());
      Database database;
      try {
        database =
            ContainerSettings.containerDataSource(config.database())
                .map(Database::ofContainerDataSource)
                .orElseGet(
                    () ->
                        DatabaseStartupWait.open(
                            config.database().startupWait(),
                            () -> Database.open(config.database())));
      } catch (RuntimeException e) {
        tracing.close();
        throw e;
      }
      TokenPoolNode node = TokenPoolNode.start(config, database, tracing);
      try {
        ApiSecurity security = security(config, node);
        // First of all filters: the request's span is current (and its ids in the log's MDC)
        // for every filter after it, and times the whole request.
        FilterRegistration.Dynamic spans =
            context.addFilter("tokenpool-tracing", node.tracing().serverSpans());
        spans.setAsyncSupported(true);
        spans.addMappingForUrlPatterns(null, false, "/*");
        ServletRegistration.Dynamic api =
            context.addServlet(
                "tokenpool-api",
                new ServletContainer(
                    ApiApplication.create(
                            config.nodeId(),
                            node.tokenService(),
                            node.pools(),
                            node.catalogue(),
                            config.pool(),
                            node.waitingRoom(),
                            node.events(),
                            node.recentActivity(),
                            node.jobs(),
                            node.apiKeys(),
                            security,
                            node.health(),
                            node.metrics())
                        .register(node.tracing().routeNames())));
        api.addMapping("/*");
        api.setLoadOnStartup(1);
        // Activations that wait for a token are suspended (Servlet async): the servlet and every
        // filter before it must allow it.
        api.setAsyncSupported(true);
        // First of the filters: whatever the others log carries the request's id.
        FilterRegistration.Dynamic requests =
            context.addFilter("tokenpool-request-log", new RequestLogContext(config.nodeId()));
        requests.setAsyncSupported(true);
        requests.addMappingForUrlPatterns(null, false, "/*");
        FilterRegistration.Dynamic headers =
            context.addFilter("tokenpool-security-headers", new SecurityHeaders());
        headers.setAsyncSupported(true);
        headers.addMappingForUrlPatterns(null, false, "/*");
        // Reads what a refusal left unread, after the answer (keeps the connection usable).
        FilterRegistration.Dynamic drain =
            context.addFilter("tokenpool-unread-body", new UnreadBodyDrain());
        drain.setAsyncSupported(true);
        drain.addMappingForUrlPatterns(null, false, "/*");
        FilterRegistration.Dynamic address =
            context.addFilter("tokenpool-client-address", new ClientAddress());
        address.setAsyncSupported(true);
        address.addMappingForUrlPatterns(null, false, "/*");
        // The longer prefix wins over the API's "/*": the console's files go to its servlet.
        context
            .addServlet("tokenpool-console", ConsoleServlet.load(context))
            .addMapping(ConsoleServlet.PATH + "*");
        context
            .addServlet(
                "tokenpool-console-login",
                new ProviderLogin(
                    node.clients()
                        .providerTokens()
                        .filter(jwt -> jwt.settings().consoleLogin().isPresent()),
                    node.sessions(),
                    security.failedLogins(),
                    node.audit()))
            .addMapping(ProviderLogin.PATH + "*");
        context.setAttribute(NODE_ATTRIBUTE, node);
      } catch (RuntimeException e) {
        node.close();
        throw e;
      }
    } catch (RuntimeException e) {
      log.error("tokenpool failed to start: {}", e.getMessage(), e);
      exitIfAsked(e);
      throw e;
    }
  }

  /** Who may call the API, and how much, from the node's settings and stores. */
  private static ApiSecurity security(TokenPoolConfig config, TokenPoolNode node) {
    ClientSettings clients = config.clients();
    return new ApiSecurity(
        Credentials.from(config.logins()),
        node.clients(),
        Optional.of(node.sessions()),
        new FailedLogins(clients.failedLoginLimit(), System::nanoTime),
        new RateLimit(clients.rate(), clients.burst(), System::nanoTime),
        node.audit());
  }

  /**
   * Under deploy/run.sh ({@value #EXIT_ON_FAILURE}), a node that cannot start ends the process with
   * status 1 and the reason on stderr, so that systemd, Kubernetes or a supervisor sees it, instead
   * of a Tomcat that answers 404 on every path. The exit runs on its own thread: Tomcat's shutdown
   * hook needs the deployment this thread is finishing.
   */
  private static void exitIfAsked(RuntimeException failure) {
    if (!Boolean.getBoolean(EXIT_ON_FAILURE)) {
      return;
    }
    System.err.println("tokenpool failed to start: " + failure.getMessage());
    Thread exit = new Thread(() -> System.exit(1), "tokenpool-exit");
    exit.setDaemon(false);
    exit.start();
  }

  @Override
  public void contextDestroyed(ServletContextEvent event) {
    ServletContext context = event.getServletContext();
    Object node = context.getAttribute(NODE_ATTRIBUTE);
    try {
      if (node instanceof TokenPoolNode running) {
        // Unready first: a balancer that still checks this node stops sending it requests.
        running.health().draining().start();
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
