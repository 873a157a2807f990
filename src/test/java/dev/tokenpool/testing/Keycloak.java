package dev.tokenpool.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real OpenID provider for the integration tests: Keycloak, from the distribution that the build
 * unpacks into {@code target/keycloak} (execution {@code unpack-keycloak} of the
 * maven-dependency-plugin), with the realm of {@code keycloak/tokenpool-realm.json} in the test
 * resources.
 *
 * <p>{@link #shared()} starts one Keycloak per JVM, in development mode with an in-memory database
 * (so every JVM starts from the realm file, whatever an earlier run rotated), on a free port of
 * 127.0.0.1 only, on a JDK 21 or newer, and stops it when the JVM ends. Its output goes to {@code
 * target/keycloak.log}. The admin user's password is random per run and travels in the environment
 * only. Client secrets and user passwords come from the realm file (test-only values).
 *
 * <p>What the realm gives (all access tokens RS256, 300 s, {@code typ} "Bearer", {@code azp} the
 * client, {@code aud} "tokenpool-api" as a JSON string, not an array, since it is the only one):
 *
 * <ul>
 *   <li>client credentials: {@code billing-service} (scope "tokens:any-user"), {@code ops-bot}
 *       ("tokens:admin"), {@code no-scope-service} (scope "", still aud tokenpool-api), {@code
 *       other-audience} ("tokens:any-user" but aud "other-api");
 *   <li>password grant through the public client {@code tokenpool-cli}: users alice, bob and carol,
 *       scope "tokens profile", {@code sub} the user's id, {@code preferred_username};
 *   <li>authorization code with PKCE S256 through the public client {@code tokenpool-console}
 *       (redirect URIs {@code http://127.0.0.1/*} and {@code http://localhost/*}, which Keycloak
 *       matches on any port, RFC 8252; a {@code :*} port wildcard does not work there): scope
 *       "tokens profile", plus "tokens:admin" when asked for and the user has the realm role
 *       tokenpool-operator (carol only; for anyone else Keycloak drops it silently).
 * </ul>
 */
public final class Keycloak {

  /** The realm of the tests. */
  public static final String REALM = "tokenpool";

  /** The audience that the tokens meant for tokenpool carry in {@code aud}. */
  public static final String AUDIENCE = "tokenpool-api";

  /** The public client of the password grant, with default scope "tokens". */
  public static final String CLI_CLIENT = "tokenpool-cli";

  /** The public client of the console's browser login (PKCE), optional scope "tokens:admin". */
  public static final String CONSOLE_CLIENT = "tokenpool-console";

  private static final String REALM_RESOURCE = "/keycloak/tokenpool-realm.json";
  private static final String ADMIN_USER = "admin";
  private static final int MINIMUM_JAVA = 21;
  private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Keycloak shared;
  private static RuntimeException sharedFailure;

  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();
  private final Process process;
  private final Path log;
  private final String base;
  private final String adminPassword;
  private final Map<String, String> clientSecrets;
  private final Map<String, String> passwords;
  private final Map<String, String> subjects = new ConcurrentHashMap<>();
  private volatile JsonNode discovery;

  private Keycloak(
      Process process,
      Path log,
      int port,
      String adminPassword,
      Map<String, String> clientSecrets,
      Map<String, String> passwords) {
    this.process = process;
    this.log = log;
    this.base = "http://127.0.0.1:" + port;
    this.adminPassword = adminPassword;
    this.clientSecrets = clientSecrets;
    this.passwords = passwords;
  }

  /**
   * The one Keycloak of this JVM, started on first use (about 15 s here; the very first start after
   * unpacking also builds the distribution, about 20 s more). A failed start fails every later call
   * the same way, without trying again.
   */
  public static synchronized Keycloak shared() {
    if (sharedFailure != null) {
      throw sharedFailure;
    }
    if (shared == null) {
      try {
        shared = start();
      } catch (RuntimeException e) {
        sharedFailure = e;
        throw e;
      }
    }
    return shared;
  }

  /** {@code http://127.0.0.1:PORT}, the server's root. */
  public String baseUrl() {
    return base;
  }

  /** {@code http://127.0.0.1:PORT/realms/tokenpool}, the {@code iss} of every token. */
  public String issuer() {
    return base + "/realms/" + REALM;
  }

  /** "tokenpool-api". */
  public String audience() {
    return AUDIENCE;
  }

  /** The realm's discovery document, {@code /.well-known/openid-configuration}. */
  public JsonNode discovery() {
    JsonNode known = discovery;
    if (known == null) {
      known = getJson(issuer() + "/.well-known/openid-configuration", null);
      discovery = known;
    }
    return known;
  }

  /** The discovery document's {@code jwks_uri}. */
  public String jwksUri() {
    return discovery().path("jwks_uri").asText();
  }

  /** The discovery document's {@code token_endpoint}. */
  public String tokenEndpoint() {
    return discovery().path("token_endpoint").asText();
  }

  /** The JSON Web Key Set that the realm publishes now (active and passive keys). */
  public JsonNode jwks() {
    return getJson(jwksUri(), null);
  }

  /** The secret of a confidential client, as the realm file sets it. */
  public String clientSecret(String clientId) {
    String secret = clientSecrets.get(clientId);
    if (secret == null) {
      throw new IllegalArgumentException(
          "no confidential client " + clientId + " in the realm file; there are " + clientSecrets);
    }
    return secret;
  }

  /** The password of a user, as the realm file sets it. */
  public String password(String user) {
    String password = passwords.get(user);
    if (password == null) {
      throw new IllegalArgumentException(
          "no user " + user + " in the realm file; there are " + passwords.keySet());
    }
    return password;
  }

  /** An access token of a client, by the client credentials grant with its default scopes. */
  public String clientToken(String clientId) {
    return clientToken(clientId, null);
  }

  /**
   * An access token of a client by the client credentials grant, asking for {@code scope} (space
   * separated; null for the client's default scopes only).
   */
  public String clientToken(String clientId, String scope) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "client_credentials");
    form.put("client_id", clientId);
    form.put("client_secret", clientSecret(clientId));
    if (scope != null) {
      form.put("scope", scope);
    }
    return tokenResponse(form).path("access_token").asText();
  }

  /** An access token of a user (scope "tokens profile"), by the password grant of tokenpool-cli. */
  public String userToken(String user) {
    return userToken(user, CLI_CLIENT, null);
  }

  /**
   * An access token of a user by the password grant through {@code clientId} (a client with direct
   * access grants; its secret is sent when it is confidential), asking for {@code scope} (null for
   * the client's default scopes only).
   */
  public String userToken(String user, String clientId, String scope) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "password");
    form.put("client_id", clientId);
    if (clientSecrets.containsKey(clientId)) {
      form.put("client_secret", clientSecrets.get(clientId));
    }
    form.put("username", user);
    form.put("password", password(user));
    if (scope != null) {
      form.put("scope", scope);
    }
    return tokenResponse(form).path("access_token").asText();
  }

  /**
   * An access token of a user through the console's client {@code tokenpool-console}, by the
   * authorization code flow with PKCE S256 as a browser would go through it (login form, redirect
   * to {@code http://127.0.0.1:PORT/console/} on an unused port, code exchange), asking for {@code
   * scope} (e.g. "tokens:admin"; null for the default scopes only). Keycloak grants tokens:admin to
   * carol only and drops it silently for anyone else.
   */
  public String consoleToken(String user, String scope) {
    String redirect = "http://127.0.0.1:" + freePort() + "/console/";
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    String challenge;
    try {
      challenge =
          Base64.getUrlEncoder()
              .withoutPadding()
              .encodeToString(
                  MessageDigest.getInstance("SHA-256")
                      .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    Map<String, String> query = new LinkedHashMap<>();
    query.put("client_id", CONSOLE_CLIENT);
    query.put("response_type", "code");
    query.put("redirect_uri", redirect);
    query.put("scope", scope == null ? "openid" : "openid " + scope);
    query.put("state", verifier.substring(0, 12));
    query.put("code_challenge", challenge);
    query.put("code_challenge_method", "S256");
    String authorize = discovery().path("authorization_endpoint").asText() + "?" + formBody(query);

    // Keycloak's login cookies are Secure, which java.net.CookieManager keeps from http: carry
    // them by hand, as a browser does for loopback addresses.
    Map<String, String> cookies = new LinkedHashMap<>();
    HttpResponse<String> page =
        send(withCookies(HttpRequest.newBuilder(URI.create(authorize)), cookies).GET());
    keepCookies(page, cookies);
    Matcher action = Pattern.compile("<form[^>]*action=\"([^\"]+)\"").matcher(page.body());
    if (page.statusCode() != 200 || !action.find()) {
      throw new IllegalStateException(
          "the login page answered " + page.statusCode() + " without a form: " + page.body());
    }
    Map<String, String> login = new LinkedHashMap<>();
    login.put("username", user);
    login.put("password", password(user));
    login.put("credentialId", "");
    HttpResponse<String> submitted =
        send(
            withCookies(
                    HttpRequest.newBuilder(URI.create(action.group(1).replace("&amp;", "&"))),
                    cookies)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(formBody(login))));
    String location = submitted.headers().firstValue("Location").orElse("");
    if (submitted.statusCode() != 302 || !location.startsWith(redirect)) {
      throw new IllegalStateException(
          "the login of "
              + user
              + " answered "
              + submitted.statusCode()
              + " (Location "
              + location
              + ") instead of a redirect to "
              + redirect);
    }
    String code = null;
    for (String pair : URI.create(location).getRawQuery().split("&")) {
      if (pair.startsWith("code=")) {
        code = URLDecoder.decode(pair.substring(5), StandardCharsets.UTF_8);
      }
    }
    if (code == null) {
      throw new IllegalStateException("the redirect after the login holds no code: " + location);
    }
    Map<String, String> exchange = new LinkedHashMap<>();
    exchange.put("grant_type", "authorization_code");
    exchange.put("client_id", CONSOLE_CLIENT);
    exchange.put("code", code);
    exchange.put("redirect_uri", redirect);
    exchange.put("code_verifier", verifier);
    return tokenResponse(exchange).path("access_token").asText();
  }

  /**
   * The token endpoint's whole answer to a form (status 200 required), e.g. to look at {@code
   * expires_in} or {@code refresh_token}.
   */
  public JsonNode tokenResponse(Map<String, String> form) {
    return postForm(tokenEndpoint(), form);
  }

  /** The user's id in Keycloak (a UUID): the {@code sub} of the user's tokens. */
  public String subjectOf(String user) {
    return subjects.computeIfAbsent(
        user,
        name -> {
          JsonNode found =
              getJson(
                  adminUrl("/users?exact=true&briefRepresentation=true&username=" + encode(name)),
                  adminToken());
          for (JsonNode candidate : found) {
            if (candidate.path("username").asText().equals(name)) {
              return candidate.path("id").asText();
            }
          }
          throw new IllegalArgumentException("no user " + name + " in realm " + REALM);
        });
  }

  /** The {@code kid} of the key that signs new RS256 tokens now. */
  public String signingKid() {
    return getJson(adminUrl("/keys"), adminToken()).path("active").path("RS256").asText();
  }

  /**
   * Rotates the realm's RS256 signing key as an operator would: adds a new {@code rsa-generated}
   * key provider with a higher priority, then makes every older one passive (it no longer signs,
   * but stays in the JWKS, so tokens signed before still verify). Tokens issued afterwards carry
   * the returned new {@code kid}.
   */
  public String rotateSigningKey() {
    String admin = adminToken();
    String realmId = getJson(adminUrl(""), admin).path("id").asText();
    List<JsonNode> older = new ArrayList<>();
    int highest = 0;
    for (JsonNode component :
        getJson(
            adminUrl("/components?type=org.keycloak.keys.KeyProvider&parent=" + encode(realmId)),
            admin)) {
      String algorithm = component.path("config").path("algorithm").path(0).asText("RS256");
      if (component.path("providerId").asText().equals("rsa-generated")
          && algorithm.equals("RS256")) {
        older.add(component);
        highest = Math.max(highest, component.path("config").path("priority").path(0).asInt(0));
      }
    }

    ObjectNode created = JSON.createObjectNode();
    created.put("name", "rsa-rotated-" + Instant.now().toEpochMilli());
    created.put("providerId", "rsa-generated");
    created.put("providerType", "org.keycloak.keys.KeyProvider");
    created.put("parentId", realmId);
    ObjectNode config = created.putObject("config");
    config.putArray("priority").add(String.valueOf(highest + 100));
    config.putArray("keySize").add("2048");
    config.putArray("algorithm").add("RS256");
    config.putArray("active").add("true");
    config.putArray("enabled").add("true");
    HttpResponse<String> response =
        send(adminRequest(adminUrl("/components"), admin).POST(jsonBody(created)));
    String location = response.headers().firstValue("Location").orElse("");
    if (response.statusCode() != 201 || location.isEmpty()) {
      throw new IllegalStateException(
          "adding a key provider answered " + response.statusCode() + ": " + response.body());
    }
    String newProvider = location.substring(location.lastIndexOf('/') + 1);

    for (JsonNode component : older) {
      ObjectNode passive = component.deepCopy();
      ((ObjectNode) passive.path("config")).putArray("active").add("false");
      HttpResponse<String> updated =
          send(
              adminRequest(adminUrl("/components/" + component.path("id").asText()), admin)
                  .PUT(jsonBody(passive)));
      if (updated.statusCode() != 204) {
        throw new IllegalStateException(
            "making key provider "
                + component.path("name").asText()
                + " passive answered "
                + updated.statusCode()
                + ": "
                + updated.body());
      }
    }

    JsonNode keys = getJson(adminUrl("/keys"), admin);
    String newKid = null;
    for (JsonNode key : keys.path("keys")) {
      if (key.path("providerId").asText().equals(newProvider)
          && key.path("algorithm").asText().equals("RS256")) {
        newKid = key.path("kid").asText();
      }
    }
    String active = keys.path("active").path("RS256").asText();
    if (newKid == null || !newKid.equals(active)) {
      throw new IllegalStateException(
          "after the rotation the new key " + newKid + " is not the active RS256 key " + active);
    }
    return newKid;
  }

  /**
   * An access token of the master realm's admin (client admin-cli), for the admin REST API under
   * {@code /admin/realms/tokenpool}.
   */
  public String adminToken() {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "password");
    form.put("client_id", "admin-cli");
    form.put("username", ADMIN_USER);
    form.put("password", adminPassword);
    return postForm(base + "/realms/master/protocol/openid-connect/token", form)
        .path("access_token")
        .asText();
  }

  /** The JOSE header of a JWT, decoded (no check of its signature). */
  public static JsonNode header(String jwt) {
    return parse(decodePart(jwt, 0));
  }

  /** The claims of a JWT, decoded (no check of its signature). */
  public static JsonNode payload(String jwt) {
    return parse(decodePart(jwt, 1));
  }

  /** The values of a claim that is a string or an array of strings ({@code aud} is either). */
  public static List<String> strings(JsonNode claim) {
    if (claim == null || claim.isMissingNode() || claim.isNull()) {
      return List.of();
    }
    if (claim.isArray()) {
      List<String> values = new ArrayList<>();
      claim.forEach(value -> values.add(value.asText()));
      return values;
    }
    return List.of(claim.asText());
  }

  /** The space-separated {@code scope} claim of a token, as a list. */
  public static List<String> scopes(String jwt) {
    String scope = payload(jwt).path("scope").asText("").trim();
    return scope.isEmpty() ? List.of() : List.of(scope.split(" +"));
  }

  /** Where Keycloak's output goes ({@code target/keycloak.log}, appended to, one header a run). */
  public Path logFile() {
    return log;
  }

  // --- Starting and stopping -------------------------------------------------------------------

  private static Keycloak start() {
    Path target = projectDirectory().resolve("target");
    Path home = distribution(target);
    Path javaHome = javaHome();
    JsonNode realm = realmFile();
    Map<String, String> secrets = new HashMap<>();
    for (JsonNode client : realm.path("clients")) {
      if (!client.path("publicClient").asBoolean(false) && client.hasNonNull("secret")) {
        secrets.put(client.path("clientId").asText(), client.path("secret").asText());
      }
    }
    Map<String, String> passwords = new HashMap<>();
    for (JsonNode user : realm.path("users")) {
      for (JsonNode credential : user.path("credentials")) {
        if (credential.path("type").asText().equals("password")) {
          passwords.put(user.path("username").asText(), credential.path("value").asText());
        }
      }
    }

    int port = freePort();
    String adminPassword = randomPassword();
    Path log = target.resolve("keycloak.log");
    long logStart;
    try {
      Path imports = Files.createDirectories(home.resolve("data").resolve("import"));
      try (Stream<Path> old = Files.list(imports)) {
        for (Path file : old.collect(Collectors.toList())) {
          Files.delete(file);
        }
      }
      try (InputStream in = Keycloak.class.getResourceAsStream(REALM_RESOURCE)) {
        Files.copy(
            in, imports.resolve("tokenpool-realm.json"), StandardCopyOption.REPLACE_EXISTING);
      }
      Files.createDirectories(target);
      logStart = Files.exists(log) ? Files.size(log) : 0;
      Files.writeString(
          log,
          String.format(
              "%n=== %s: Keycloak %s on port %d, JDK %s%n",
              Instant.now(), home.getFileName(), port, javaHome),
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("preparing Keycloak in " + home, e);
    }

    ProcessBuilder builder =
        new ProcessBuilder(
                "/bin/sh",
                home.resolve("bin").resolve("kc.sh").toString(),
                "start-dev",
                "--db=dev-mem",
                "--import-realm",
                "--http-host=127.0.0.1",
                "--http-port=" + port,
                "--hostname=http://127.0.0.1:" + port)
            .directory(home.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Map<String, String> env = builder.environment();
    env.keySet()
        .removeIf(
            name ->
                name.startsWith("KC_")
                    || name.startsWith("KEYCLOAK_")
                    || name.startsWith("QUARKUS_")
                    || name.startsWith("JAVA_OPTS")
                    || name.equals("JAVA")
                    || name.equals("JAVA_TOOL_OPTIONS")
                    || name.equals("JDK_JAVA_OPTIONS")
                    || name.equals("JAVA_ADD_OPENS"));
    env.put("JAVA_HOME", javaHome.toString());
    env.put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN_USER);
    env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", adminPassword);
    // A modest heap beside Tomcat and MariaDB; C1 only: starts in two thirds of the time and
    // spends half the CPU of the default tiered compilation, which a test server never repays.
    env.put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m");
    env.put("JAVA_OPTS_APPEND", "-XX:TieredStopAtLevel=1");

    Process process;
    try {
      process = builder.start();
      process.getOutputStream().close();
    } catch (IOException e) {
      throw new UncheckedIOException("starting " + home.resolve("bin/kc.sh"), e);
    }
    Thread stopper = new Thread(() -> stop(process), "keycloak-stop");
    Runtime.getRuntime().addShutdownHook(stopper);

    Keycloak keycloak = new Keycloak(process, log, port, adminPassword, secrets, passwords);
    keycloak.awaitReady(logStart);
    return keycloak;
  }

  private void awaitReady(long logStart) {
    URI ready = URI.create(issuer() + "/.well-known/openid-configuration");
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "Keycloak ended with exit code "
                + process.exitValue()
                + " before it answered "
                + ready
                + "; the end of "
                + log
                + ":\n"
                + tail(log, logStart));
      }
      try {
        HttpResponse<String> response =
            http.send(
                HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          discovery = parse(response.body());
          return;
        }
      } catch (IOException notYet) {
        // Not listening yet.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stop(process);
        throw new IllegalStateException("interrupted while waiting for Keycloak", e);
      }
      if (System.nanoTime() > deadline) {
        stop(process);
        throw new IllegalStateException(
            "Keycloak did not answer "
                + ready
                + " within "
                + START_TIMEOUT.toSeconds()
                + " s; the end of "
                + log
                + ":\n"
                + tail(log, logStart));
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stop(process);
        throw new IllegalStateException("interrupted while waiting for Keycloak", e);
      }
    }
  }

  /** Ends kc.sh and the JVM it started: politely first, then by force. */
  private static void stop(Process process) {
    List<ProcessHandle> tree = new ArrayList<>();
    process.descendants().forEach(tree::add);
    tree.add(process.toHandle());
    tree.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    for (ProcessHandle handle : tree) {
      long left = deadline - System.nanoTime();
      try {
        handle.onExit().get(Math.max(left, 0), TimeUnit.NANOSECONDS);
      } catch (Exception stillRunning) {
        handle.destroyForcibly();
      }
    }
  }

  private static Path projectDirectory() {
    String basedir = System.getProperty("basedir");
    return Path.of(basedir != null ? basedir : System.getProperty("user.dir")).toAbsolutePath();
  }

  /** The unpacked distribution: target/keycloak/keycloak-VERSION (the newest if several). */
  private static Path distribution(Path target) {
    String configured = System.getProperty("tokenpool.keycloak.home");
    if (configured != null) {
      Path home = Path.of(configured);
      if (!Files.isRegularFile(home.resolve("bin/kc.sh"))) {
        throw new IllegalStateException(
            "tokenpool.keycloak.home=" + configured + " holds no Keycloak (bin/kc.sh)");
      }
      return home;
    }
    Path unpacked = target.resolve("keycloak");
    Optional<Path> home = Optional.empty();
    if (Files.isDirectory(unpacked)) {
      try (Stream<Path> dirs = Files.list(unpacked)) {
        home =
            dirs.filter(dir -> Files.isRegularFile(dir.resolve("bin/kc.sh")))
                .max(Comparator.comparing(dir -> versionKey(dir.getFileName().toString())));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return home.orElseThrow(
        () ->
            new IllegalStateException(
                "no Keycloak distribution in "
                    + unpacked
                    + ": the build unpacks it in the pre-integration-test phase; alone, run"
                    + " `mvn dependency:unpack@unpack-keycloak` (or set -Dtokenpool.keycloak.home)"));
  }

  private static String versionKey(String name) {
    StringBuilder key = new StringBuilder();
    for (String part : name.replaceAll("[^0-9.]", "").split("\\.")) {
      key.append(String.format("%08d", part.isEmpty() ? 0 : Long.parseLong(part)));
    }
    return key.toString();
  }

  /**
   * A JDK that Keycloak 26 runs on (21 or newer): -Dtokenpool.keycloak.java or KEYCLOAK_JAVA_HOME
   * if set, else this JVM's own if new enough, else the newest under /usr/lib/jvm.
   */
  private static Path javaHome() {
    String configured = System.getProperty("tokenpool.keycloak.java");
    if (configured == null) {
      configured = System.getenv("KEYCLOAK_JAVA_HOME");
    }
    if (configured != null) {
      Path home = Path.of(configured);
      int major = javaMajor(home);
      if (major < MINIMUM_JAVA) {
        throw new IllegalStateException(
            "the JDK configured for Keycloak, "
                + home
                + ", is Java "
                + (major == 0 ? "(unreadable)" : major)
                + "; Keycloak needs Java "
                + MINIMUM_JAVA
                + " or newer");
      }
      return home;
    }
    Path own = Path.of(System.getProperty("java.home"));
    if (Runtime.version().feature() >= MINIMUM_JAVA
        && Files.isExecutable(own.resolve("bin/java"))) {
      return own;
    }
    Path jvms = Path.of("/usr/lib/jvm");
    List<String> seen = new ArrayList<>();
    Path best = null;
    int bestMajor = 0;
    if (Files.isDirectory(jvms)) {
      try (Stream<Path> dirs = Files.list(jvms)) {
        for (Path dir : dirs.sorted().collect(Collectors.toList())) {
          int major = javaMajor(dir);
          if (major == 0) {
            continue;
          }
          seen.add(dir.getFileName() + " (" + major + ")");
          if (major > bestMajor || (major == bestMajor && !Files.isSymbolicLink(dir))) {
            best = dir;
            bestMajor = major;
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    if (best == null || bestMajor < MINIMUM_JAVA) {
      throw new IllegalStateException(
          "Keycloak 26 needs a JDK "
              + MINIMUM_JAVA
              + " or newer, and there is none: this JVM is Java "
              + Runtime.version().feature()
              + ", /usr/lib/jvm holds "
              + (seen.isEmpty() ? "no JDK" : String.join(", ", seen))
              + ". Install one there (e.g. Temurin 25, /usr/lib/jvm/temurin-25-jdk-amd64) or"
              + " point -Dtokenpool.keycloak.java or KEYCLOAK_JAVA_HOME at one.");
    }
    return best;
  }

  /** The feature version of the JDK or JRE in a directory, from its release file; 0 if none. */
  private static int javaMajor(Path home) {
    Path release = home.resolve("release");
    if (!Files.isExecutable(home.resolve("bin/java")) || !Files.isRegularFile(release)) {
      return 0;
    }
    try {
      for (String line : Files.readAllLines(release, StandardCharsets.UTF_8)) {
        if (line.startsWith("JAVA_VERSION=")) {
          String version = line.substring("JAVA_VERSION=".length()).replace("\"", "");
          String first = version.split("[.+\\-]")[0];
          int major = Integer.parseInt(first);
          // Java 8 and older spell themselves 1.N.
          return major == 1 ? Integer.parseInt(version.split("\\.")[1]) : major;
        }
      }
    } catch (IOException | RuntimeException unreadable) {
      return 0;
    }
    return 0;
  }

  private static JsonNode realmFile() {
    try (InputStream in = Keycloak.class.getResourceAsStream(REALM_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(REALM_RESOURCE + " is not on the test class path");
      }
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String randomPassword() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** The last 80 lines that this run wrote to the log. */
  private static String tail(Path log, long from) {
    try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
      long start = Math.max(from, file.length() - 64 * 1024);
      byte[] bytes = new byte[(int) (file.length() - start)];
      file.seek(start);
      file.readFully(bytes);
      List<String> lines = new String(bytes, StandardCharsets.UTF_8).lines().toList();
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e + ")";
    }
  }

  // --- HTTP and JSON ---------------------------------------------------------------------------

  private String adminUrl(String path) {
    return base + "/admin/realms/" + REALM + path;
  }

  private static HttpRequest.Builder adminRequest(String url, String adminToken) {
    return HttpRequest.newBuilder(URI.create(url))
        .header("Authorization", "Bearer " + adminToken)
        .header("Content-Type", "application/json");
  }

  /** A token request; anything but 200 fails, with the grant, the client and the answer. */
  private JsonNode postForm(String url, Map<String, String> form) {
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(formBody(form))));
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          url
              + " answered "
              + response.statusCode()
              + " to grant "
              + form.get("grant_type")
              + " of "
              + form.get("client_id")
              + ": "
              + response.body());
    }
    return parse(response.body());
  }

  private static HttpRequest.Builder withCookies(
      HttpRequest.Builder request, Map<String, String> cookies) {
    if (!cookies.isEmpty()) {
      request.header(
          "Cookie",
          cookies.entrySet().stream()
              .map(cookie -> cookie.getKey() + "=" + cookie.getValue())
              .collect(Collectors.joining("; ")));
    }
    return request;
  }

  private static void keepCookies(HttpResponse<?> response, Map<String, String> cookies) {
    for (String header : response.headers().allValues("Set-Cookie")) {
      String pair = header.split(";", 2)[0];
      int equals = pair.indexOf('=');
      if (equals > 0) {
        cookies.put(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
      }
    }
  }

  private JsonNode getJson(String url, String bearer) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url)).header("Accept", "application/json").GET();
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    HttpResponse<String> response = send(request);
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "GET " + url + " answered " + response.statusCode() + ": " + response.body());
    }
    return parse(response.body());
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(
          request.timeout(REQUEST_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static HttpRequest.BodyPublisher jsonBody(JsonNode json) {
    try {
      return HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(json));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String formBody(Map<String, String> form) {
    return form.entrySet().stream()
        .map(entry -> encode(entry.getKey()) + "=" + encode(entry.getValue()))
        .collect(Collectors.joining("&"));
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static String decodePart(String jwt, int index) {
    String[] parts = jwt.split("\\.");
    if (parts.length != 3) {
      throw new IllegalArgumentException("not a signed JWT (three parts): " + jwt);
    }
    return new String(Base64.getUrlDecoder().decode(parts[index]), StandardCharsets.UTF_8);
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + json, e);
    }
  }
}
