package dev.tokenpool.bench;

import dev.tokenpool.config.ClientSettings;
import dev.tokenpool.config.DatabaseSettings;
import dev.tokenpool.config.OidcSettings;
import dev.tokenpool.config.TokenPoolConfig;
import dev.tokenpool.jobs.JobRun;
import dev.tokenpool.persistence.Database;
import dev.tokenpool.persistence.SessionFactories;
import dev.tokenpool.persistence.Transactions;
import dev.tokenpool.security.ApiKeys;
import dev.tokenpool.security.ClientAuthenticator;
import dev.tokenpool.security.JwtVerifier;
import dev.tokenpool.tokens.Token;
import dev.tokenpool.tokens.Usage;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hibernate.SessionFactory;

/**
 * The CPU time of one authentication, measured in the benchmark's JVM with the node's own classes
 * and settings ({@link ClientAuthenticator} over {@link ApiKeys} with its 5 s cache on the node's
 * database, and {@link JwtVerifier} fetching the benchmark provider's keys), on one thread: what
 * the node-level difference of {@link AuthCost} measures too, without the noise of a shared machine
 * (and without the rate limit and the JAX-RS filter around it). Thread CPU is the authenticating
 * thread's alone; process CPU adds the garbage collector's (the benchmark's JVM is otherwise idle
 * meanwhile).
 */
final class AuthInProcess {

  private AuthInProcess() {}

  static Map<String, Object> measure(
      String db, String issuer, List<String> keys, List<String> jwts, double seconds)
      throws Exception {
    Map<String, String> settings = new HashMap<>();
    settings.put(DatabaseSettings.DB_URL, BenchDatabase.url(db));
    settings.put(DatabaseSettings.DB_USER, BenchDatabase.USER);
    settings.put(DatabaseSettings.DB_MAX_CONNECTIONS, "2");
    settings.put(TokenPoolConfig.NODE_ID, "bench-auth");
    settings.put(OidcSettings.OIDC_ISSUER, issuer);
    settings.put(OidcSettings.OIDC_AUDIENCE, BenchIssuer.AUDIENCE);
    TokenPoolConfig config = TokenPoolConfig.from(name -> Optional.ofNullable(settings.get(name)));
    ClientSettings clients = config.clients();
    Clock clock = Clock.systemUTC();
    Map<String, Object> out = new LinkedHashMap<>();
    try (Database database = Database.open(config.database())) {
      SessionFactory sessionFactory =
          SessionFactories.build(database, List.of(Token.class, Usage.class, JobRun.class));
      try {
        ApiKeys apiKeys =
            new ApiKeys(
                new Transactions(sessionFactory), clock, clients.apiKeyCache(), System::nanoTime);
        ClientAuthenticator authenticator =
            new ClientAuthenticator(
                apiKeys::authenticate, clients.oidc().map(oidc -> new JwtVerifier(oidc, clock)));
        for (int pass = 0; pass < 2; pass++) {
          // The first pass warms up the JIT; the second is measured.
          boolean measured = pass == 1;
          double time = measured ? seconds : seconds / 2;
          Map<String, Object> keyFigures = run(authenticator, keys, time);
          Map<String, Object> jwtFigures = run(authenticator, jwts, time);
          if (measured) {
            out.put("api_keys", keyFigures);
            out.put("jwts", jwtFigures);
          }
        }
      } finally {
        sessionFactory.close();
      }
    }
    Benchmark.log("authentication in process, one thread: " + out);
    return out;
  }

  /** Authenticates the credentials in turn for {@code seconds}: CPU µs per authentication. */
  private static Map<String, Object> run(
      ClientAuthenticator authenticator, List<String> credentials, double seconds) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long end = System.nanoTime() + (long) (seconds * 1e9);
    long processStart = os.getProcessCpuTime();
    long cpuStart = threads.getCurrentThreadCpuTime();
    long wallStart = System.nanoTime();
    long count = 0;
    int blackhole = 0;
    while (System.nanoTime() < end) {
      for (int i = 0; i < 100; i++) {
        blackhole +=
            authenticator
                .authenticate(credentials.get((int) (count % credentials.size())))
                .name()
                .length();
        count++;
      }
    }
    long cpu = threads.getCurrentThreadCpuTime() - cpuStart;
    long process = os.getProcessCpuTime() - processStart;
    long wall = System.nanoTime() - wallStart;
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("authentications", count);
    figures.put("cpu_us_per_authentication", cpu / 1e3 / count);
    // With the garbage collector's and the JIT's threads, which a node pays too.
    figures.put("process_cpu_us_per_authentication", process / 1e3 / count);
    figures.put("wall_us_per_authentication", wall / 1e3 / count);
    figures.put("checksum", blackhole);
    return figures;
  }
}
