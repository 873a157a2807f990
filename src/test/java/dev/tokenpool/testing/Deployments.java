package dev.tokenpool.testing;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;
import org.jboss.shrinkwrap.api.Node;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The real WAR that {@code mvn package} built, as Arquillian deploys it, configured per test class
 * through servlet context parameters (the lowest configuration layer).
 */
public final class Deployments {

  /** The admin password of every deployment that sets none of its own. */
  public static final String ADMIN_PASSWORD = "admin-password-1";

  private Deployments() {}

  public static WebArchive realWar(String name, Map<String, String> settings) {
    File war = new File(System.getProperty("tokenpool.war", "target/tokenpool.war"));
    if (!war.isFile()) {
      throw new IllegalStateException(war + " is missing: run the tests with mvn verify");
    }
    WebArchive archive =
        ShrinkWrap.create(ZipImporter.class, name + ".war").importFrom(war).as(WebArchive.class);
    Node webXml = archive.get("WEB-INF/web.xml");
    String descriptor;
    try (InputStream in = webXml.getAsset().openStream()) {
      descriptor = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> withLogin = new java.util.HashMap<>(settings);
    withLogin.putIfAbsent("TOKENPOOL_ADMIN_PASSWORD", ADMIN_PASSWORD);
    // Load tests send thousands of requests a second with one key, and refusal tests send many
    // bad ones from 127.0.0.1: the limits have tests of their own, which set them.
    withLogin.putIfAbsent("TOKENPOOL_CLIENT_RATE", "1000000");
    withLogin.putIfAbsent("TOKENPOOL_FAILED_LOGIN_LIMIT", "100000");
    return archive.setWebXML(new StringAsset(withContextParams(descriptor, withLogin)));
  }

  /**
   * The WAR with an H2 DataSource bound by the container at {@code java:comp/env/<name>}: Tomcat
   * reads it from META-INF/context.xml, Jetty from WEB-INF/jetty-env.xml, each ignoring the
   * other's. Its connections have auto-commit on, as plain ones do.
   */
  public static WebArchive withH2DataSource(WebArchive war, String name, String h2Url) {
    return war.addAsManifestResource(
            new StringAsset(
                """
                <Context>
                  <Resource name="%s" auth="Container" type="org.h2.jdbcx.JdbcDataSource"
                            factory="org.h2.jdbcx.JdbcDataSourceFactory"
                            url="%s" user="sa" password=""
                            description="tokenpool" loginTimeout="0"/>
                </Context>
                """
                    .formatted(name, h2Url)),
            "context.xml")
        .addAsWebInfResource(
            new StringAsset(
                """
                <!DOCTYPE Configure PUBLIC "-//Jetty//Configure//EN" "https://jetty.org/configure_10_0.dtd">
                <Configure id="webapp" class="org.eclipse.jetty.ee10.webapp.WebAppContext">
                  <New class="org.eclipse.jetty.plus.jndi.Resource">
                    <Arg><Ref refid="webapp"/></Arg>
                    <Arg>%1$s</Arg>
                    <Arg>
                      <New class="org.h2.jdbcx.JdbcDataSource">
                        <Set name="URL">%2$s</Set>
                        <Set name="user">sa</Set>
                      </New>
                    </Arg>
                    <Call name="bindToENC"><Arg>%1$s</Arg></Call>
                  </New>
                </Configure>
                """
                    .formatted(name, h2Url)),
            "jetty-env.xml");
  }

  /** The WAR's own descriptor with the test's settings added as context parameters. */
  private static String withContextParams(String descriptor, Map<String, String> settings) {
    String params =
        settings.entrySet().stream()
            .map(
                e ->
                    "  <context-param><param-name>"
                        + e.getKey()
                        + "</param-name><param-value>"
                        + e.getValue().replace("&", "&amp;").replace("<", "&lt;")
                        + "</param-value></context-param>\n")
            .collect(Collectors.joining());
    int end = descriptor.lastIndexOf("</web-app>");
    return descriptor.substring(0, end) + params + descriptor.substring(end);
  }
}
