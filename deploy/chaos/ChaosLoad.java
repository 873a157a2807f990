import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The chaos run's client, run from source by deploy/chaos.sh ({@code java ChaosLoad.java}).
 *
 * <pre>
 *   run LB_URL KEY_FILE EVENTS STOP_FILE [WORKERS [CA_PEM]]
 *                               steady load through the load balancer until STOP_FILE exists;
 *                               one line per request into EVENTS; an https LB_URL is trusted
 *                               when its certificate chains to a certificate of CA_PEM (the
 *                               kit's CA, "ca" in target/ha/topology.json), and only then
 *   analyze EVENTS FAULTS REPORT
 *                               figures per status and per fault; exit 1 when a request failed
 *                               in a way the run forbids
 * </pre>
 *
 * Load: random new users, repeats of recent users (the same token back), renewals and releases of
 * holdings handed out recently, each naming its fence (a 409 {@code stale_fence} is an allowed
 * answer: the holding may have been evicted, cleared or expired meanwhile), activations that
 * refuse rather than evict ({@code on_full: fail}: a 409 {@code pool_full} is allowed), and a
 * clear of the pool every 20 s. Each request has a 10 s deadline and
 * carries {@code Authorization: Bearer} with the API key read from KEY_FILE (an operator key,
 * scope {@code tokens:admin}: clearing the pool and releasing another user's token need it). The
 * key is read from the file, never taken from the command line, where any user would see it in
 * {@code ps}; KEY_FILE may also come from the environment variable {@code CHAOS_KEY_FILE} ("-" as
 * the argument). A request refused for its credentials or its rate (401, 403, 429) is a violation:
 * the run would measure the refusals instead of the failures it provokes.
 */
public final class ChaosLoad {

  static final Duration DEADLINE = Duration.ofSeconds(10);
  static final Pattern TOKEN = Pattern.compile("\"token_id\":\"([0-9a-f-]{36})\"");
  static final Pattern FENCE = Pattern.compile("\"fence\":([0-9]+)");
  static final String USAGE =
      "usage: run LB_URL KEY_FILE EVENTS STOP_FILE [WORKERS [CA_PEM]] | analyze EVENTS FAULTS REPORT";

  public static void main(String[] args) throws Exception {
    switch (args.length > 0 ? args[0] : "") {
      case "run" -> {
        if (args.length < 5) {
          usage();
        }
        run(URI.create(args[1]), readKey(args[2]), Path.of(args[3]), Path.of(args[4]),
            args.length > 5 ? Integer.parseInt(args[5]) : 8,
            args.length > 6 && !args[6].isEmpty() ? Path.of(args[6]) : null);
      }
      case "analyze" -> {
        if (args.length < 4) {
          usage();
        }
        System.exit(analyze(Path.of(args[1]), Path.of(args[2]), Path.of(args[3])));
      }
      default -> usage();
    }
  }

  static void usage() {
    System.err.println(USAGE);
    System.exit(2);
  }

  /** The API key in the file named by the argument, or by CHAOS_KEY_FILE when it is "-". */
  static String readKey(String argument) throws IOException {
    String name = argument.equals("-") ? System.getenv("CHAOS_KEY_FILE") : argument;
    if (name == null || name.isBlank()) {
      System.err.println("KEY_FILE is '-' but CHAOS_KEY_FILE is not set");
      System.exit(2);
    }
    if (name.startsWith("tpk_")) {
      // Never echo it: it is a key, and it is already on the command line.
      System.err.println("KEY_FILE must name the file that holds the API key, not be the key");
      System.exit(2);
    }
    String key = Files.readString(Path.of(name)).strip();
    if (key.isEmpty() || key.chars().anyMatch(c -> c <= ' ' || c > '~')) {
      System.err.println("the API key file " + name + " is empty or holds more than one key");
      System.exit(2);
    }
    return key;
  }

  // ---- load --------------------------------------------------------------------------------

  static void run(URI lb, String key, Path events, Path stop, int workers, Path ca)
      throws Exception {
    String authorization = "Bearer " + key;
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
    if (ca != null) {
      builder.sslContext(trusting(ca));
    }
    // Over TLS the client and the balancer agree on HTTP/2 (ALPN); all workers share a connection.
    HttpClient http = builder.build();
    ConcurrentLinkedDeque<UUID> recentUsers = new ConcurrentLinkedDeque<>();
    ConcurrentLinkedDeque<String> recentTokens = new ConcurrentLinkedDeque<>();
    Path streamed = events.resolveSibling("streamed.csv");
    // A daemon: it may sit in a read when the load stops; every line it wrote is flushed.
    Thread stream = new Thread(() -> stream(http, lb, authorization, streamed, stop), "stream");
    stream.setDaemon(true);
    stream.start();
    try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(events))) {
      List<Thread> threads = new ArrayList<>();
      for (int w = 0; w < workers; w++) {
        int worker = w;
        Thread thread = new Thread(() -> {
          long nextClear = System.currentTimeMillis() + 20_000;
          while (!Files.exists(stop)) {
            double roll = ThreadLocalRandom.current().nextDouble();
            String kind;
            HttpRequest request;
            UUID user = null;
            if (worker == 0 && System.currentTimeMillis() >= nextClear) {
              nextClear += 20_000;
              kind = "clear";
              request = HttpRequest.newBuilder(lb.resolve("/api/tokens/active")).DELETE()
                  .header("Authorization", authorization).timeout(DEADLINE).build();
            } else if (roll < 0.08 && !recentTokens.isEmpty()) {
              kind = "release";
              String held = recentTokens.pollFirst();
              if (held == null) {
                continue; // another worker took the last one
              }
              String[] holding = held.split(":");
              request = post(lb.resolve("/api/tokens/" + holding[0] + "/release"),
                  "{\"fence\":" + holding[1] + "}", authorization);
            } else if (roll < 0.16 && !recentTokens.isEmpty()) {
              kind = "renew";
              String held = recentTokens.peekLast();
              if (held == null) {
                continue;
              }
              String[] holding = held.split(":");
              request = post(lb.resolve("/api/tokens/" + holding[0] + "/renew"),
                  "{\"fence\":" + holding[1] + ",\"lease\":\"PT5S\"}", authorization);
            } else if (roll < 0.20) {
              // Waits for a token, longer than the balancer's 6 s for short requests: free
              // tokens go to waiters first, and a 409 pool_full at the deadline is allowed.
              kind = "activate-wait";
              user = UUID.randomUUID();
              // Answered by the node at its deadline, or by the balancer (504) 6 s after it.
              request = HttpRequest.newBuilder(lb.resolve("/api/tokens/activate"))
                  .header("Content-Type", "application/json").header("Authorization", authorization)
                  .POST(HttpRequest.BodyPublishers.ofString(
                      "{\"user_id\":\"" + user + "\",\"on_full\":\"wait\",\"wait\":\"PT7S\"}"))
                  .timeout(DEADLINE.plusSeconds(7)).build();
            } else if (roll < 0.24) {
              kind = "activate-fail";
              user = UUID.randomUUID();
              request = post(lb.resolve("/api/tokens/activate"),
                  "{\"user_id\":\"" + user + "\",\"on_full\":\"fail\"}", authorization);
            } else {
              boolean repeat = roll < 0.38 && !recentUsers.isEmpty();
              kind = repeat ? "activate-repeat" : "activate-new";
              user = repeat ? recentUsers.peekLast() : UUID.randomUUID();
              request = post(lb.resolve("/api/tokens/activate"), "{\"user_id\":\"" + user + "\"}",
                  authorization);
            }
            long start = System.currentTimeMillis();
            int status;
            String type = "";
            String error = "";
            String body = "";
            try {
              HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
              status = response.statusCode();
              type = response.headers().firstValue("Content-Type").orElse("");
              body = response.body();
            } catch (java.net.http.HttpTimeoutException e) {
              status = -2;
              error = "timeout";
            } catch (IOException e) {
              status = -1;
              error = e.getClass().getSimpleName();
            } catch (InterruptedException e) {
              return;
            }
            long end = System.currentTimeMillis();
            if (status == 200 && kind.startsWith("activate")) {
              Matcher token = TOKEN.matcher(body);
              Matcher fence = FENCE.matcher(body);
              if (token.find() && fence.find()) {
                recentTokens.addLast(token.group(1) + ":" + fence.group(1));
                trim(recentTokens, 200);
              }
              if (user != null && !kind.equals("activate-repeat")) {
                recentUsers.addLast(user);
                trim(recentUsers, 200);
              }
            }
            synchronized (out) {
              out.printf(Locale.ROOT, "%d,%d,%s,%d,%s,%s%n", start, end, kind, status,
                  type.startsWith("application/problem+json") ? "problem" : type.isEmpty() ? "-" : "other",
                  error);
            }
            pause(25);
          }
        }, "load-" + w);
        thread.start();
        threads.add(thread);
      }
      for (Thread thread : threads) {
        thread.join();
      }
    }
  }

  /**
   * One event stream (GET /api/events, every user's events) through the balancer for the whole
   * run: whenever it ends (its node killed, stopped, cut off), it resumes after the last event it
   * received, as a browser's EventSource does. Every event id it receives goes to {@code out},
   * one per line with its type, and every resumption as a line "resumed,<last id>"; chaos.sh
   * compares them with the database's events.
   */
  static void stream(HttpClient http, URI lb, String authorization, Path out, Path stop) {
    String last = null;
    try (PrintWriter written = new PrintWriter(Files.newBufferedWriter(out), true)) {
      while (!Files.exists(stop)) {
        HttpRequest.Builder request = HttpRequest.newBuilder(lb.resolve("/api/events"))
            .header("Authorization", authorization).header("Accept", "text/event-stream").GET();
        if (last != null) {
          request.header("Last-Event-ID", last);
          written.println("resumed," + last);
        }
        try {
          HttpResponse<java.util.stream.Stream<String>> response =
              http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
          if (response.statusCode() != 200) {
            written.println("refused," + response.statusCode());
            pause(500);
            continue;
          }
          String id = null;
          String type = null;
          java.util.Iterator<String> lines = response.body().iterator();
          while (lines.hasNext() && !Files.exists(stop)) {
            String line = lines.next();
            if (line.startsWith("id:")) {
              id = line.substring(3).strip();
            } else if (line.startsWith("event:")) {
              type = line.substring(6).strip();
            } else if (line.isEmpty()) {
              if (id != null) {
                written.println(id + "," + type);
                last = id;
              } else if ("gap".equals(type)) {
                written.println("gap," + last);
              }
              id = null;
              type = null;
            }
          }
          response.body().close();
        } catch (IOException | java.io.UncheckedIOException e) {
          // its node went away: resume on another
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        written.flush();
        pause(200);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A TLS context that trusts the certificates of a PEM file and nothing else. */
  static SSLContext trusting(Path caPem) throws Exception {
    KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
    trusted.load(null, null);
    try (InputStream in = Files.newInputStream(caPem)) {
      int n = 0;
      for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        trusted.setCertificateEntry("ca-" + n++, certificate);
      }
    }
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }

  static HttpRequest post(URI uri, String json, String authorization) {
    return HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
        .header("Authorization", authorization)
        .POST(HttpRequest.BodyPublishers.ofString(json)).timeout(DEADLINE).build();
  }

  static <T> void trim(ConcurrentLinkedDeque<T> deque, int max) {
    while (deque.size() > max) {
      deque.pollFirst();
    }
  }

  static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- analysis ----------------------------------------------------------------------------

  record Event(long start, long end, String kind, int status, String type, String error) {
    boolean failed() {
      return status < 0 || status >= 500;
    }

    boolean activated() {
      return status == 200 && kind.startsWith("activate");
    }

    /** Refused for the client's credentials or rate: the load's setup is wrong, not the system. */
    boolean refused() {
      return status == 401 || status == 403 || status == 429;
    }
  }

  /**
   * A fault from chaos.sh: its window, and what it may cost. "no-fail": no request may fail
   * while it lasts; "may-fail": requests may fail, but activations resume within maxGapMillis
   * (0: reported only).
   */
  record Fault(String name, long start, long end, boolean mayFailRequests, long maxGapMillis) {}

  static int analyze(Path eventsFile, Path faultsFile, Path report) throws IOException {
    List<Event> events = new ArrayList<>();
    for (String line : Files.readAllLines(eventsFile)) {
      String[] f = line.split(",", -1);
      events.add(new Event(Long.parseLong(f[0]), Long.parseLong(f[1]), f[2],
          Integer.parseInt(f[3]), f[4], f[5]));
    }
    List<Fault> faults = new ArrayList<>();
    for (String line : Files.readAllLines(faultsFile)) {
      String[] f = line.split("\\|", -1);
      faults.add(new Fault(f[0], Long.parseLong(f[1]), Long.parseLong(f[2]), f[3].equals("may-fail"),
          Long.parseLong(f[4])));
    }
    Map<String, Integer> byStatus = new TreeMap<>();
    int failed = 0;
    int notProblem = 0;
    int fiveHundreds = 0;
    int timeouts = 0;
    int connectionErrors = 0;
    int refused = 0;
    long slowest = 0;
    for (Event e : events) {
      if (e.refused()) {
        refused++;
      }
      byStatus.merge(e.kind() + " " + (e.status() < 0 ? e.error() : String.valueOf(e.status())), 1,
          Integer::sum);
      slowest = Math.max(slowest, e.end() - e.start());
      if (e.status() == -2) {
        timeouts++;
      } else if (e.status() == -1) {
        connectionErrors++;
      }
      if (e.failed()) {
        failed++;
        if (e.status() >= 500 && !e.type().equals("problem")) {
          notProblem++;
        }
        if (e.status() == 500) {
          fiveHundreds++;
        }
      }
    }
    int violations = 0;
    StringBuilder text = new StringBuilder();
    text.append(String.format(Locale.ROOT, "Requests sent: %,d; failed (5xx, timeout or connection error): %,d%n",
        events.size(), failed));
    text.append(String.format(Locale.ROOT,
        "Connection errors: %d; past the %d s deadline: %d; 500s: %d; 5xx not problem JSON: %d;"
            + " refused for credentials or rate (401, 403, 429): %d; slowest answer: %.1f s%n%n",
        connectionErrors, DEADLINE.toSeconds(), timeouts, fiveHundreds, notProblem, refused,
        slowest / 1000.0));
    text.append("| request | outcome | count |\n| --- | --- | ---: |\n");
    byStatus.forEach((key, count) -> {
      String[] parts = key.split(" ", 2);
      text.append("| ").append(parts[0]).append(" | ").append(parts[1]).append(" | ")
          .append(String.format(Locale.ROOT, "%,d", count)).append(" |\n");
    });
    text.append("\n| fault | lasted | requests answered | failed requests | longest time without a successful activation | verdict |\n");
    text.append("| --- | ---: | ---: | ---: | ---: | --- |\n");
    for (int f = 0; f < faults.size(); f++) {
      Fault fault = faults.get(f);
      // A fault's window: from the fault to 5 s after its recovery, but not into the next fault.
      long windowStart = fault.start();
      long windowEnd = f + 1 < faults.size()
          ? Math.min(fault.end() + 5_000, faults.get(f + 1).start())
          : fault.end() + 5_000;
      // By when the answer came: a request sent just before a fault fails because of it.
      List<Event> answered = events.stream()
          .filter(e -> e.end() >= windowStart && e.end() < windowEnd).toList();
      long failures = answered.stream().filter(Event::failed).count();
      long gap = longestGap(events, windowStart, windowEnd);
      boolean ok = fault.mayFailRequests()
          ? fault.maxGapMillis() == 0 || gap <= fault.maxGapMillis()
          : failures == 0;
      if (!ok) {
        violations++;
      }
      text.append(String.format(Locale.ROOT, "| %s | %.1f s | %,d | %d | %.1f s | %s |%n", fault.name(),
          (fault.end() - fault.start()) / 1000.0, answered.size(), failures, gap / 1000.0,
          !ok ? (fault.mayFailRequests()
                  ? "VIOLATION: no activation for over " + fault.maxGapMillis() / 1000 + " s"
                  : "VIOLATION: requests failed")
              : fault.mayFailRequests()
                  ? (fault.maxGapMillis() == 0 ? "reported" : "ok (limit " + fault.maxGapMillis() / 1000 + " s)")
                  : "ok (no request may fail)"));
    }
    if (fiveHundreds > 0 || notProblem > 0 || timeouts > 0) {
      violations++;
      text.append("\nVIOLATION: a request got a 500, a 5xx that is not problem JSON, or no answer in time\n");
    }
    if (refused > 0) {
      violations++;
      text.append("\nVIOLATION: requests were refused for their credentials or rate (401, 403, 429):"
          + " the operator key or TOKENPOOL_CLIENT_RATE of the run is wrong\n");
    }
    Files.writeString(report, text.toString());
    System.out.print(text);
    return violations == 0 ? 0 : 1;
  }

  /** The longest stretch within [from, to] without a successful activation ending in it. */
  static long longestGap(List<Event> events, long from, long to) {
    long last = from;
    long longest = 0;
    for (Event e : events.stream().filter(Event::activated).sorted((a, b) -> Long.compare(a.end(), b.end())).toList()) {
      if (e.end() < from) {
        continue;
      }
      if (e.end() > to) {
        break;
      }
      longest = Math.max(longest, e.end() - last);
      last = e.end();
    }
    return Math.max(longest, to - last);
  }
}
