package dev.tokenpool.testing.jetty;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.jetty.ee10.annotations.AnnotationConfiguration;
import org.eclipse.jetty.ee10.plus.webapp.EnvConfiguration;
import org.eclipse.jetty.ee10.plus.webapp.PlusConfiguration;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.jboss.arquillian.container.spi.client.container.DeployableContainer;
import org.jboss.arquillian.container.spi.client.container.DeploymentException;
import org.jboss.arquillian.container.spi.client.container.LifecycleException;
import org.jboss.arquillian.container.spi.client.protocol.ProtocolDescription;
import org.jboss.arquillian.container.spi.client.protocol.metadata.HTTPContext;
import org.jboss.arquillian.container.spi.client.protocol.metadata.ProtocolMetaData;
import org.jboss.arquillian.container.spi.client.protocol.metadata.Servlet;
import org.jboss.shrinkwrap.api.Archive;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;

/**
 * Embedded Jetty 12 (ee10, Servlet 6.0) for Arquillian: each deployment is the test's WAR file,
 * deployed as a standalone Jetty deploys a WAR dropped into {@code webapps/} (a {@link
 * WebAppContext} at {@code /<archive name>}, unpacked, its {@code WEB-INF/jetty-env.xml} bound into
 * {@code java:comp/env}, container initializers run). The tests only call it over HTTP
 * ({@code @RunAsClient}), so the container speaks no Arquillian protocol of its own.
 */
public final class JettyContainer implements DeployableContainer<JettyConfiguration> {

  private JettyConfiguration configuration;
  private Server server;
  private ServerConnector connector;
  private ContextHandlerCollection contexts;
  private final Map<String, Deployed> deployed = new HashMap<>();

  private record Deployed(WebAppContext context, Path directory) {}

  @Override
  public Class<JettyConfiguration> getConfigurationClass() {
    return JettyConfiguration.class;
  }

  @Override
  public ProtocolDescription getDefaultProtocol() {
    return new ProtocolDescription("Local");
  }

  @Override
  public void setup(JettyConfiguration configuration) {
    this.configuration = configuration;
  }

  @Override
  public void start() throws LifecycleException {
    server = new Server();
    HttpConfiguration http = new HttpConfiguration();
    // As a production Jetty is set up (jetty.httpConfig.sendServerVersion=false): the tests check
    // that no answer names the server, which Tomcat does not by default.
    http.setSendServerVersion(false);
    connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost(configuration.getBindAddress());
    connector.setPort(configuration.getBindHttpPort());
    // Tomcat's acceptCount: a thousand clients connecting at once (LeaseApiIT) are queued, not
    // refused into the client's SYN retries.
    connector.setAcceptQueueSize(100);
    server.addConnector(connector);
    contexts = new ContextHandlerCollection();
    server.setHandler(contexts);
    try {
      server.start();
    } catch (Exception e) {
      throw new LifecycleException("Jetty did not start on port " + connector.getPort(), e);
    }
  }

  @Override
  public void stop() throws LifecycleException {
    try {
      server.stop();
    } catch (Exception e) {
      throw new LifecycleException("Jetty did not stop", e);
    }
  }

  @Override
  public synchronized ProtocolMetaData deploy(Archive<?> archive) throws DeploymentException {
    String name = archive.getName().replaceFirst("\\.war$", "");
    Path directory;
    try {
      directory = Files.createTempDirectory("tokenpool-jetty-" + name);
    } catch (IOException e) {
      throw new DeploymentException("No directory for " + archive.getName(), e);
    }
    Path war = directory.resolve(archive.getName());
    archive.as(ZipExporter.class).exportTo(war.toFile());
    Path work = directory.resolve("work");

    WebAppContext webapp = new WebAppContext();
    webapp.setContextPath("/" + name);
    webapp.setWar(war.toString());
    webapp.setTempDirectory(work.toFile());
    webapp.addConfiguration(
        new EnvConfiguration(), new PlusConfiguration(), new AnnotationConfiguration());
    // A node that cannot start fails the deployment, as it does on Tomcat.
    webapp.setThrowUnavailableOnStartupException(true);
    contexts.addHandler(webapp);
    try {
      if (!webapp.isStarted()) {
        webapp.start();
      }
    } catch (Exception e) {
      remove(webapp, directory);
      throw new DeploymentException("Jetty could not deploy " + archive.getName(), e);
    }
    if (!webapp.isAvailable()) {
      remove(webapp, directory);
      throw new DeploymentException("Jetty deployed " + archive.getName() + " as unavailable");
    }
    deployed.put(archive.getName(), new Deployed(webapp, directory));

    HTTPContext http = new HTTPContext(configuration.getBindAddress(), connector.getLocalPort());
    for (ServletHolder servlet : webapp.getServletHandler().getServlets()) {
      http.add(new Servlet(servlet.getName(), webapp.getContextPath()));
    }
    return new ProtocolMetaData().addContext(http);
  }

  @Override
  public synchronized void undeploy(Archive<?> archive) throws DeploymentException {
    Deployed app = deployed.remove(archive.getName());
    if (app != null) {
      remove(app.context(), app.directory());
    }
  }

  private void remove(WebAppContext webapp, Path directory) {
    try {
      webapp.stop();
    } catch (Exception e) {
      throw new IllegalStateException("Jetty could not stop " + webapp.getContextPath(), e);
    } finally {
      contexts.removeHandler(webapp);
      deleteQuietly(directory);
    }
  }

  private static void deleteQuietly(Path directory) {
    try (Stream<Path> paths = Files.walk(directory)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // A temporary directory left behind is no failure of the test.
    }
  }
}
