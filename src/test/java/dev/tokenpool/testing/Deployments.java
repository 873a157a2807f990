package dev.tokenpool.testing;

import java.io.File;
import java.util.Map;
import java.util.stream.Collectors;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The real WAR that {@code mvn package} built, as Arquillian deploys it, configured per test
 * class through servlet context parameters (the lowest configuration layer).
 */
public final class Deployments {

  private Deployments() {}

  public static WebArchive realWar(String name, Map<String, String> settings) {
    File war = new File(System.getProperty("tokenpool.war", "target/tokenpool.war"));
    if (!war.isFile()) {
      throw new IllegalStateException(war + " is missing: run the tests with mvn verify");
    }
    WebArchive archive =
        ShrinkWrap.create(ZipImporter.class, name + ".war").importFrom(war).as(WebArchive.class);
    return archive.setWebXML(new StringAsset(webXml(settings)));
  }

  private static String webXml(Map<String, String> settings) {
    String params =
        settings.entrySet().stream()
            .map(
                e ->
                    "  <context-param><param-name>"
                        + e.getKey()
                        + "</param-name><param-value>"
                        + e.getValue().replace("&", "&amp;").replace("<", "&lt;")
                        + "</param-value></context-param>")
            .collect(Collectors.joining("\n"));
    return """
        <?xml version="1.0" encoding="UTF-8"?>
        <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee"
                 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                 xsi:schemaLocation="https://jakarta.ee/xml/ns/jakartaee https://jakarta.ee/xml/ns/jakartaee/web-app_6_0.xsd"
                 version="6.0">
        %s
        </web-app>
        """
        .formatted(params);
  }
}
