package dev.tokenpool.console;

import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Serves the operator console, {@code /console/} in the WAR, from memory: the API's servlet takes
 * every other path, so the container's default servlet never sees these. The files are read once at
 * startup (a WAR without them is a broken build), sent with an ETag so browsers revalidate instead
 * of downloading again, and with a content security policy that lets the page load nothing but its
 * own files and talk to nothing but its own node.
 */
public final class ConsoleServlet extends HttpServlet {

  /** Where the console lives in the WAR and under the node's URL. */
  public static final String PATH = "/console/";

  static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self';"
          + " connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

  private static final String INDEX = "index.html";
  private static final long serialVersionUID = 1L;

  private final transient Map<String, ConsoleFile> files;

  private ConsoleServlet(Map<String, ConsoleFile> files) {
    this.files = files;
  }

  /** Reads the console's files from the web application. */
  public static ConsoleServlet load(ServletContext context) {
    Set<String> paths = context.getResourcePaths(PATH);
    Map<String, ConsoleFile> files = new TreeMap<>();
    if (paths != null) {
      for (String path : paths) {
        String name = path.substring(PATH.length());
        ConsoleFile.of(name, read(context, path)).ifPresent(file -> files.put(name, file));
      }
    }
    if (!files.containsKey(INDEX)) {
      throw new IllegalStateException(
          "The console is missing from the WAR (" + PATH + INDEX + "): the build is broken");
    }
    return new ConsoleServlet(files);
  }

  private static byte[] read(ServletContext context, String path) {
    try (InputStream in = context.getResourceAsStream(path)) {
      return in == null ? new byte[0] : in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + path + " from the WAR", e);
    }
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    serve(request, response, true);
  }

  @Override
  protected void doHead(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    serve(request, response, false);
  }

  private void serve(HttpServletRequest request, HttpServletResponse response, boolean body)
      throws IOException {
    String path = request.getPathInfo();
    if (path == null) {
      // "/console" without its slash: the page's relative links need the directory form.
      response.setStatus(HttpServletResponse.SC_MOVED_PERMANENTLY);
      String query = request.getQueryString();
      response.setHeader(
          "Location", request.getContextPath() + PATH + (query == null ? "" : "?" + query));
      return;
    }
    String name = path.equals("/") ? INDEX : path.substring(1);
    ConsoleFile file = files.get(name);
    if (file == null) {
      notFound(request, response);
      return;
    }
    response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("Referrer-Policy", "no-referrer");
    response.setHeader("Cache-Control", "no-cache");
    response.setHeader("ETag", file.etag());
    if (matches(request.getHeader("If-None-Match"), file.etag())) {
      response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
      return;
    }
    response.setContentType(file.mediaType());
    response.setContentLength(file.content().length);
    if (body) {
      response.getOutputStream().write(file.content());
    }
  }

  /**
   * Whether an If-None-Match header names this ETag: a list, "*", and weak validators ({@code
   * W/"…"}, as proxies rewrite them) included, compared weakly as RFC 9110 asks for GET.
   */
  static boolean matches(String ifNoneMatch, String etag) {
    if (ifNoneMatch == null) {
      return false;
    }
    for (String candidate : ifNoneMatch.split(",")) {
      String tag = candidate.trim();
      if (tag.equals("*") || (tag.startsWith("W/") ? tag.substring(2) : tag).equals(etag)) {
        return true;
      }
    }
    return false;
  }

  /** A missing file is answered like every other error of the node: a problem document. */
  private static void notFound(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    response.setStatus(HttpServletResponse.SC_NOT_FOUND);
    response.setContentType("application/problem+json");
    String json =
        "{\"type\":\"https://tokenpool.dev/problems/not-found\",\"title\":\"Not Found\","
            + "\"status\":404,"
            + "\"detail\":\"The console has no file at this path\"}";
    response.getOutputStream().write(json.getBytes(StandardCharsets.UTF_8));
  }
}
