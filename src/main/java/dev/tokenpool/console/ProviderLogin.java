package dev.tokenpool.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenpool.admin.OperatorSessions;
import dev.tokenpool.admin.Role;
import dev.tokenpool.config.OidcSettings;
import dev.tokenpool.security.AuditLog;
import dev.tokenpool.security.Client;
import dev.tokenpool.security.ClientRole;
import dev.tokenpool.security.FailedLogins;
import dev.tokenpool.security.JwtVerifier;
import dev.tokenpool.security.ProviderMetadata;
import dev.tokenpool.security.Secrets;
import dev.tokenpool.security.TooManyRequestsException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * "Log in with the provider" for the console, as a backend for the page (the OAuth 2.0 for
 * browser-based apps BFF pattern): the node sends the operator to the provider with an
 * authorization code request (PKCE S256, state), redeems the code itself at the provider's token
 * endpoint, checks the access token like any other (it must grant the operator scope), and opens
 * the same HttpOnly session a password login opens. No token ever reaches the page.
 *
 * <ul>
 *   <li>{@code GET /console/login/options}: {@code {"provider": "<issuer host>"}} or null
 *   <li>{@code GET /console/login/provider}: 302 to the provider
 *   <li>{@code GET /console/login/callback}: the provider's answer; 303 to the console
 * </ul>
 *
 * The state and the PKCE verifier wait in an HttpOnly cookie bound to this path (SameSite=Lax, so
 * the provider's redirect back brings it), for ten minutes.
 */
public final class ProviderLogin extends HttpServlet {

  public static final String PATH = "/console/login/";
  private static final String FLOW_COOKIE = "tokenpool_login";
  private static final String SESSION_COOKIE = "tokenpool_session";
  private static final Duration FLOW_LIFETIME = Duration.ofMinutes(10);
  private static final Logger log = LoggerFactory.getLogger(ProviderLogin.class);
  private static final long serialVersionUID = 1L;

  private final transient Optional<JwtVerifier> provider;
  private final transient OperatorSessions sessions;
  private final transient FailedLogins failedLogins;
  private final transient AuditLog audit;
  private final transient HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  private final transient ObjectMapper json = new ObjectMapper();

  /**
   * @param provider the provider's token checks, present only when an issuer and the console's
   *     client id are both configured
   */
  public ProviderLogin(
      Optional<JwtVerifier> provider,
      OperatorSessions sessions,
      FailedLogins failedLogins,
      AuditLog audit) {
    this.provider = provider;
    this.sessions = sessions;
    this.failedLogins = failedLogins;
    this.audit = audit;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String step = request.getPathInfo() == null ? "" : request.getPathInfo();
    response.setHeader("Cache-Control", "no-store");
    switch (step) {
      case "/options" -> options(response);
      case "/provider" ->
          provider.ifPresentOrElse(p -> start(p, request, response), () -> notFound(response));
      case "/callback" ->
          provider.ifPresentOrElse(p -> finish(p, request, response), () -> notFound(response));
      default -> notFound(response);
    }
  }

  private void options(HttpServletResponse response) throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("provider", provider.map(p -> p.settings().issuer().getHost()).orElse(null));
    response.setContentType("application/json");
    response.getWriter().write(json.writeValueAsString(body));
  }

  private void start(
      JwtVerifier verifier, HttpServletRequest request, HttpServletResponse response) {
    OidcSettings settings = verifier.settings();
    try {
      ProviderMetadata metadata = verifier.providerMetadata();
      URI authorize =
          metadata
              .authorizationEndpoint()
              .orElseThrow(() -> new IOException("no authorization_endpoint"));
      String state = Secrets.random("");
      String codeVerifier = Secrets.random("");
      URI location =
          AuthorizationRequest.uri(
              authorize,
              settings.consoleLogin().orElseThrow(),
              callback(request),
              state,
              codeVerifier);
      response.addCookie(flowCookie(state + "." + codeVerifier, FLOW_LIFETIME, request));
      response.sendRedirect(location.toString());
    } catch (IOException | RuntimeException e) {
      log.warn("The console's provider login cannot start: {}", e.toString());
      backToConsole(request, response, "unavailable");
    }
  }

  private void finish(
      JwtVerifier verifier, HttpServletRequest request, HttpServletResponse response) {
    String address = request.getRemoteAddr();
    response.addCookie(flowCookie("", Duration.ZERO, request));
    try {
      // The same per-address limit as every other login: a refused callback costs no call to
      // the provider.
      failedLogins.checkAllowed(address);
    } catch (TooManyRequestsException e) {
      backToConsole(request, response, "failed");
      return;
    }
    Optional<String[]> flow = flowOf(request);
    String state = request.getParameter("state");
    if (flow.isEmpty()
        || state == null
        || !MessageDigest.isEqual(
            flow.get()[0].getBytes(StandardCharsets.US_ASCII),
            state.getBytes(StandardCharsets.US_ASCII))) {
      refused(address, "state missing or not this browser's");
      backToConsole(request, response, "expired");
      return;
    }
    if (request.getParameter("code") == null) {
      refused(address, "the provider answered " + request.getParameter("error"));
      backToConsole(request, response, "denied");
      return;
    }
    try {
      String accessToken = redeem(verifier, request, request.getParameter("code"), flow.get()[1]);
      Client client = verifier.verify(accessToken);
      if (client.role() != ClientRole.OPERATOR) {
        refused(address, client.name() + " lacks " + verifier.settings().operatorScope());
        backToConsole(request, response, "forbidden");
        return;
      }
      OperatorSessions.Opened opened = sessions.open(client.name(), Role.ADMIN, client.pools());
      audit.record("console-login", client.name(), "provider", "address", address);
      Cookie session = new Cookie(SESSION_COOKIE, opened.id());
      session.setPath("/");
      session.setHttpOnly(true);
      session.setSecure(request.isSecure());
      session.setMaxAge((int) OperatorSessions.LIFETIME.toSeconds());
      session.setAttribute("SameSite", "Strict");
      response.addCookie(session);
      backToConsole(request, response, null);
    } catch (IOException | RuntimeException e) {
      refused(address, e.getMessage());
      backToConsole(request, response, "failed");
    }
  }

  private void refused(String address, String reason) {
    failedLogins.recordFailure(address);
    audit.failedLogin(address, "provider", reason);
  }

  /** Redeems the code at the provider's token endpoint (a public client, proven by PKCE). */
  private String redeem(
      JwtVerifier verifier, HttpServletRequest request, String code, String codeVerifier)
      throws IOException {
    URI endpoint =
        verifier
            .providerMetadata()
            .tokenEndpoint()
            .orElseThrow(() -> new IOException("no token_endpoint"));
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "authorization_code");
    form.put("code", code);
    form.put("redirect_uri", callback(request));
    form.put("client_id", verifier.settings().consoleLogin().orElseThrow().clientId());
    form.put("code_verifier", codeVerifier);
    try {
      HttpResponse<String> answer =
          http.send(
              HttpRequest.newBuilder(endpoint)
                  .timeout(Duration.ofSeconds(5))
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .POST(HttpRequest.BodyPublishers.ofString(AuthorizationRequest.form(form)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      JsonNode body = json.readTree(answer.body());
      if (answer.statusCode() != 200 || !body.path("access_token").isTextual()) {
        throw new IOException(
            "the token endpoint answered "
                + answer.statusCode()
                + " "
                + body.path("error").asText());
      }
      return body.get("access_token").asText();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while redeeming the code", e);
    }
  }

  private static String callback(HttpServletRequest request) {
    String base = request.getRequestURL().toString();
    return base.substring(0, base.indexOf(PATH) + PATH.length()) + "callback";
  }

  private static void backToConsole(
      HttpServletRequest request, HttpServletResponse response, String error) {
    String console = request.getContextPath() + "/console/";
    response.setStatus(HttpServletResponse.SC_SEE_OTHER);
    response.setHeader("Location", error == null ? console : console + "?login_error=" + error);
  }

  private static Optional<String[]> flowOf(HttpServletRequest request) {
    if (request.getCookies() == null) {
      return Optional.empty();
    }
    for (Cookie cookie : request.getCookies()) {
      if (FLOW_COOKIE.equals(cookie.getName())) {
        String[] parts = cookie.getValue().split("\\.", 2);
        return parts.length == 2 ? Optional.of(parts) : Optional.empty();
      }
    }
    return Optional.empty();
  }

  private static Cookie flowCookie(String value, Duration lifetime, HttpServletRequest request) {
    Cookie cookie = new Cookie(FLOW_COOKIE, value);
    cookie.setPath(request.getContextPath() + PATH);
    cookie.setHttpOnly(true);
    cookie.setSecure(request.isSecure());
    cookie.setMaxAge((int) lifetime.toSeconds());
    cookie.setAttribute("SameSite", "Lax");
    return cookie;
  }

  private static void notFound(HttpServletResponse response) {
    response.setStatus(HttpServletResponse.SC_NOT_FOUND);
  }
}
