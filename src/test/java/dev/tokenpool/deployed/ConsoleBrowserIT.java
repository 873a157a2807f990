package dev.tokenpool.deployed;

import static dev.tokenpool.testing.ApiClient.basic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenpool.testing.ApiClient;
import dev.tokenpool.testing.ApiClient.Reply;
import dev.tokenpool.testing.Browser;
import dev.tokenpool.testing.Deployments;
import dev.tokenpool.testing.MariaDbServer;
import dev.tokenpool.testing.TestDatabase;
import java.net.URL;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The operator console in a real browser (Debian's headless chromium through chromium-driver),
 * against the real WAR in Tomcat on MariaDB: a monitor sees everything and can change nothing, an
 * admin pauses, triggers and resumes from the page, creates and resizes a pool and picks it, a
 * failed run stands out. Each view is saved as a screenshot (target/screenshots, or docs/images
 * with -Dtokenpool.screenshots=docs/images).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ConsoleBrowserIT {

  private static final String NODE = "console-node-1";
  private static final String ADMIN = basic("admin", "admin-password-1");
  private static final String JOB = "/api/admin/jobs/expire-tokens";
  private static final int POOL_SIZE = 12;
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static final String PRUNE_JOB = "/api/admin/jobs/prune-job-runs";
  private static TestDatabase database;
  private static Browser browser;

  @Deployment(testable = false)
  static WebArchive deployment() {
    database = MariaDbServer.createDatabase("console");
    return Deployments.realWar(
        "console-it",
        Map.ofEntries(
            Map.entry("TOKENPOOL_DB_URL", database.url()),
            Map.entry("TOKENPOOL_DB_USER", database.user()),
            Map.entry("TOKENPOOL_DB_PASSWORD", database.password()),
            Map.entry("TOKENPOOL_NODE_ID", NODE),
            Map.entry("TOKENPOOL_POOL_SIZE", String.valueOf(POOL_SIZE)),
            Map.entry("TOKENPOOL_TOKEN_LIFETIME", "PT20S"),
            Map.entry("TOKENPOOL_EXPIRY_INTERVAL", "PT2S"),
            // Runs last a moment, as real ones do on a busy pool, so the page can show one running:
            // longer than the page's refresh (1 s), so that a refresh always falls within a run
            // (0.4 s runs were missed for 20 s by a refresh in step with the schedule).
            Map.entry("TOKENPOOL_EXPIRY_RUN_DELAY", "PT1.2S"),
            // The database is dropped before Arquillian undeploys the WAR: a run caught by that
            // must not hold the node's stop for long.
            Map.entry("TOKENPOOL_SCHEDULER_STOP_WAIT", "PT1S"),
            Map.entry("TOKENPOOL_ADMIN_PASSWORD", "admin-password-1"),
            Map.entry("TOKENPOOL_MONITOR_USER", "watcher"),
            Map.entry("TOKENPOOL_MONITOR_PASSWORD", "monitor-password-1")));
  }

  @ArquillianResource URL base;

  private ApiClient api;
  private ChromeDriver page;

  @BeforeAll
  static void openTheBrowser() {
    browser = Browser.start(1280, 800);
  }

  @AfterAll
  static void closeTheBrowserAndDropTheDatabase() {
    if (browser != null) {
      browser.close();
    }
    if (database != null) {
      database.close();
    }
  }

  @BeforeEach
  void someTraffic() {
    api = ApiClient.operator(base);
    page = browser.driver();
    browser.resizeViewport(1280, 800);
    // More users than tokens: the newest take the oldest holders' tokens (evictions).
    for (int i = 0; i < POOL_SIZE + 4; i++) {
      api.activate(UUID.randomUUID().toString());
    }
    String held = api.activate(UUID.randomUUID().toString()).text("token_id");
    api.post("/api/tokens/" + held + "/release");
  }

  @AfterEach
  void leaveTheJobRunning() {
    api.as(ADMIN, "POST", JOB + "/resume");
    api.as(ADMIN, "DELETE", PRUNE_JOB + "/schedule");
  }

  @Test
  void aMonitorSeesEveryViewButEveryChangeIsDisabled() {
    logIn("watcher", "monitor-password-1");
    assertThat(text("#whoami")).contains("watcher").containsIgnoringCase("monitor");

    show("pool");
    await().atMost(WAIT).until(() -> text("#pool-size").equals(String.valueOf(POOL_SIZE)));
    await().atMost(WAIT).until(() -> text("#pool-waiters").equals("0"));
    await()
        .atMost(WAIT)
        .until(
            () ->
                text("#pool-active")
                    .equals(api.as(ADMIN, "GET", "/api/admin/pool").json().get("active").asText()));
    // The activity table shows the API's counts: at least the four evictions of this test.
    await()
        .atMost(WAIT)
        .until(
            () -> columnSum("activity-evicted"), shown -> shown >= 4 && shown == apiSum("evicted"));
    await().atMost(WAIT).until(() -> columnSum("activity-activations") == apiSum("activations"));
    await().atMost(WAIT).until(() -> columnSum("activity-renewals") == apiSum("renewals"));
    // Events as they happen: an activation made now shows in the live table.
    await().atMost(WAIT).until(() -> text("#live-events-state").contains("live"));
    String newcomer = "newcomer-" + UUID.randomUUID();
    api.activate(newcomer);
    await()
        .atMost(WAIT)
        .until(
            () ->
                page.findElements(By.cssSelector("#live-events-body tr")).stream()
                    .anyMatch(
                        row ->
                            row.getText().contains("activated")
                                && row.getText().contains(newcomer)));
    assertThat(
            page.findElements(
                By.cssSelector("#pool-chart circle, #pool-chart path, #pool-chart polyline")))
        .as("a utilisation sample is drawn")
        .isNotEmpty();
    browser.screenshot("console-pool");
    assertThat(page.findElement(By.id("pool-picker")).isEnabled())
        .as("a monitor may pick any pool to look at")
        .isTrue();
    assertThat(text("#pool-title")).contains("default");

    show("pools");
    WebElement defaultPool = poolRow("default");
    await()
        .atMost(WAIT)
        .until(() -> cell(defaultPool, ".pool-size").equals(String.valueOf(POOL_SIZE)));
    WebElement newPool = page.findElement(By.id("pool-new"));
    assertThat(newPool.isEnabled()).as("New pool").isFalse();
    assertThat(newPool.getDomAttribute("title")).containsIgnoringCase("admins only");
    WebElement resize = defaultPool.findElement(By.cssSelector(".pool-resize"));
    assertThat(resize.isEnabled()).as("Resize").isFalse();
    assertThat(resize.getDomAttribute("title")).containsIgnoringCase("admins only");
    assertThat(defaultPool.findElement(By.cssSelector(".pool-show")).isEnabled()).isTrue();
    assertThat(page.findElement(By.id("pools-readonly")).isDisplayed()).isTrue();
    browser.screenshot("console-pools-monitor");
    String monitor = basic("watcher", "monitor-password-1");
    assertThat(
            api.asJson(monitor, "POST", "/api/admin/pools", "{\"name\":\"by-monitor\",\"size\":1}")
                .status())
        .as("the server refuses the monitor's new pool too")
        .isEqualTo(403);
    assertThat(api.asJson(monitor, "PATCH", "/api/admin/pools/default", "{\"size\":1}").status())
        .as("the server refuses the monitor's resize too")
        .isEqualTo(403);

    show("jobs");
    WebElement row = jobRow("expire-tokens");
    for (String button : List.of(".job-pause", ".job-resume", ".job-trigger", ".job-reschedule")) {
      WebElement control = row.findElement(By.cssSelector(button));
      assertThat(control.isEnabled()).as(button).isFalse();
      assertThat(control.getDomAttribute("title")).as(button).containsIgnoringCase("admins only");
    }
    browser.screenshot("console-jobs-monitor");
    assertThat(api.as(basic("watcher", "monitor-password-1"), "POST", JOB + "/pause").status())
        .as("the server refuses the monitor too")
        .isEqualTo(403);

    show("cluster");
    WebElement node =
        await()
            .atMost(WAIT)
            .until(
                () ->
                    page.findElements(By.cssSelector("#nodes-table tr[data-node='" + NODE + "']")),
                rows -> !rows.isEmpty())
            .get(0);
    await()
        .atMost(WAIT)
        .until(() -> node.findElement(By.cssSelector(".node-alive")).getText().equals("alive"));
    browser.screenshot("console-cluster");
  }

  @Test
  void anAdminPausesTriggersAndResumesTheJobFromThePage() {
    logIn("admin", "admin-password-1");
    show("jobs");
    WebElement row = jobRow("expire-tokens");

    row.findElement(By.cssSelector(".job-pause")).click();
    await().atMost(WAIT).until(() -> state(row).startsWith("PAUSED"));
    assertThat(api.as(ADMIN, "GET", JOB).text("state")).isEqualTo("PAUSED");
    await().atMost(WAIT).until(() -> text("#action-result").contains("paused"));
    assertThat(row.findElement(By.cssSelector(".job-pause")).isEnabled()).isFalse();

    Set<String> before = fireIds();
    row.findElement(By.cssSelector(".job-trigger")).click();
    WebElement dialog = page.findElement(By.id("confirm-dialog"));
    await().atMost(WAIT).until(dialog::isDisplayed);
    browser.screenshot("console-trigger-confirm");
    page.findElement(By.id("confirm-ok")).click();
    await().atMost(WAIT).until(() -> text("#action-result").contains("triggered"));

    show("runs");
    // A scheduled fire acquired just before the pause may still run: look for the manual one.
    WebElement manualRun =
        await()
            .atMost(WAIT)
            .until(
                () ->
                    page.findElements(By.cssSelector("#runs-table tr.run")).stream()
                        .filter(r -> !before.contains(r.getDomAttribute("data-fire")))
                        .filter(
                            r ->
                                r.findElement(By.cssSelector(".run-manual"))
                                    .getText()
                                    .equals("manual"))
                        .toList(),
                rows -> !rows.isEmpty())
            .get(0);
    JsonNode recorded =
        StreamSupport.stream(
                api.get("/api/jobs/runs?job=expire-tokens&limit=50")
                    .json()
                    .get("runs")
                    .spliterator(),
                false)
            .filter(
                run ->
                    run.get("fire_instance_id")
                        .asText()
                        .equals(manualRun.getDomAttribute("data-fire")))
            .findFirst()
            .orElseThrow();
    assertThat(recorded.get("manual").asBoolean()).isTrue();
    browser.screenshot("console-runs");

    // The filter shows one job's runs only (the prune job ran once, at the node's start).
    page.findElement(By.cssSelector("#runs-filter option[value='prune-job-runs']")).click();
    awaitRunCells(
        "td:first-child",
        jobs -> !jobs.isEmpty() && jobs.stream().allMatch("prune-job-runs"::equals));
    page.findElement(By.cssSelector("#runs-filter option[value='']")).click();

    show("jobs");
    row.findElement(By.cssSelector(".job-resume")).click();
    await().atMost(WAIT).until(() -> !state(row).startsWith("PAUSED"));
    assertThat(api.as(ADMIN, "GET", JOB).text("state")).isIn("NORMAL", "BLOCKED");
    await().atMost(WAIT).until(() -> state(row).contains("running on " + NODE));
    browser.screenshot("console-jobs-admin");
  }

  @Test
  void anAdminChangesAScheduleThroughAConfirmingDialogAndTheRunsShowIt() {
    logIn("admin", "admin-password-1");
    show("jobs");
    WebElement row = jobRow("prune-job-runs");

    row.findElement(By.cssSelector(".job-reschedule")).click();
    WebElement dialog = page.findElement(By.id("schedule-dialog"));
    await().atMost(WAIT).until(dialog::isDisplayed);
    assertThat(text("#schedule-text")).contains("PT1H", "every node");
    assertThat(page.findElement(By.id("schedule-reset")).isEnabled())
        .as("the job already follows its setting")
        .isFalse();
    WebElement input = page.findElement(By.id("schedule-input"));
    input.clear();
    input.sendKeys("soon");
    page.findElement(By.id("schedule-ok")).click();
    assertThat(text("#schedule-error")).contains("PT10S");
    assertThat(dialog.isDisplayed()).as("a wrong interval keeps the dialog open").isTrue();
    input.clear();
    input.sendKeys("PT3S");
    browser.screenshot("console-schedule-dialog");
    page.findElement(By.id("schedule-ok")).click();

    await().atMost(WAIT).until(() -> text("#action-result").contains("every 3 s"));
    await()
        .atMost(WAIT)
        .until(
            () -> row.findElement(By.cssSelector(".job-schedule")).getText(),
            schedule -> schedule.contains("every 3 s") && schedule.contains("set by admin"));
    JsonNode job = api.as(ADMIN, "GET", PRUNE_JOB).json();
    assertThat(job.get("interval").asText()).isEqualTo("PT3S");
    assertThat(job.get("interval_set_by").asText()).isEqualTo("admin");

    show("runs");
    page.findElement(By.cssSelector("#runs-filter option[value='prune-job-runs']")).click();
    awaitRunCells(".run-schedule", schedules -> schedules.contains("every 3 s"));
    browser.screenshot("console-runs-schedule");
    page.findElement(By.cssSelector("#runs-filter option[value='']")).click();

    show("jobs");
    row.findElement(By.cssSelector(".job-reschedule")).click();
    await().atMost(WAIT).until(dialog::isDisplayed);
    page.findElement(By.id("schedule-reset")).click();
    await().atMost(WAIT).until(() -> text("#action-result").contains("back on its setting"));
    assertThat(api.as(ADMIN, "GET", PRUNE_JOB).text("interval_set_by")).isEqualTo("setting");
    await()
        .atMost(WAIT)
        .until(
            () -> row.findElement(By.cssSelector(".job-schedule")).getText(),
            schedule -> schedule.equals("every 1 h"));
  }

  @Test
  void anAdminCreatesAPoolResizesItAndPicksItInThePoolView() {
    String name = "console-" + UUID.randomUUID().toString().substring(0, 8);
    logIn("admin", "admin-password-1");
    show("pools");
    poolRow("default");

    page.findElement(By.id("pool-new")).click();
    WebElement create = page.findElement(By.id("create-dialog"));
    await().atMost(WAIT).until(create::isDisplayed);
    WebElement nameInput = page.findElement(By.id("create-name"));
    WebElement sizeInput = page.findElement(By.id("create-size"));
    nameInput.sendKeys("Not a name");
    sizeInput.sendKeys("3");
    page.findElement(By.id("create-ok")).click();
    assertThat(text("#create-error")).contains("a-z");
    assertThat(create.isDisplayed()).as("a wrong name keeps the dialog open").isTrue();
    // The node's refusal shows in the dialog too: the name of a pool that exists is taken.
    nameInput.clear();
    nameInput.sendKeys("default");
    page.findElement(By.id("create-ok")).click();
    await().atMost(WAIT).until(() -> !text("#create-error").isBlank());
    assertThat(create.isDisplayed()).as("a refused pool keeps the dialog open").isTrue();
    nameInput.clear();
    nameInput.sendKeys(name);
    browser.screenshot("console-pool-create");
    page.findElement(By.id("create-ok")).click();
    await().atMost(WAIT).until(() -> !create.isDisplayed());
    await().atMost(WAIT).until(() -> text("#pools-result").contains(name + " created"));

    WebElement row = poolRow(name);
    await().atMost(WAIT).until(() -> cell(row, ".pool-size").equals("3"));
    await().atMost(WAIT).until(() -> cell(row, ".pool-available").equals("3"));
    assertThat(cell(row, ".pool-on-full")).isEqualTo("evict");
    JsonNode created = api.as(ADMIN, "GET", "/api/admin/pools/" + name).json();
    assertThat(created.get("size").asInt()).isEqualTo(3);
    assertThat(created.get("set_by").asText()).isEqualTo("admin");

    row.findElement(By.cssSelector(".pool-resize")).click();
    WebElement resize = page.findElement(By.id("resize-dialog"));
    await().atMost(WAIT).until(resize::isDisplayed);
    assertThat(text("#resize-text")).contains(name, "size of 3", "every node");
    WebElement input = page.findElement(By.id("resize-input"));
    input.clear();
    input.sendKeys("many");
    page.findElement(By.id("resize-ok")).click();
    assertThat(text("#resize-error")).contains("whole number");
    assertThat(resize.isDisplayed()).as("a wrong size keeps the dialog open").isTrue();
    input.clear();
    input.sendKeys("5");
    assertThat(text("#resize-change")).contains("3 → 5", "adds 2");
    browser.screenshot("console-pool-resize");
    page.findElement(By.id("resize-ok")).click();
    await().atMost(WAIT).until(() -> !resize.isDisplayed());
    await().atMost(WAIT).until(() -> text("#pools-result").contains(name + " has a size of 5"));
    await().atMost(WAIT).until(() -> cell(row, ".pool-size").equals("5"));
    await().atMost(WAIT).until(() -> cell(row, ".pool-tokens").equals("5"));
    assertThat(api.as(ADMIN, "GET", "/api/admin/pools/" + name).json().get("size").asInt())
        .isEqualTo(5);
    browser.screenshot("console-pools-admin");

    show("pool");
    page.findElement(By.cssSelector("#pool-picker option[value='" + name + "']")).click();
    await().atMost(WAIT).until(() -> text("#pool-title").contains(name));
    await().atMost(WAIT).until(() -> text("#pool-size").equals("5"));
    await().atMost(WAIT).until(() -> text("#pool-available").equals("5"));
    // The live events follow the pool picked: a holding in it shows, one in default does not.
    await().atMost(WAIT).until(() -> text("#live-events-state").contains("live"));
    String inDefault = "in-default-" + UUID.randomUUID();
    api.activate(inDefault);
    String inPool = "in-pool-" + UUID.randomUUID();
    assertThat(
            api.postJson(
                    "/api/pools/" + name + "/tokens/activate", "{\"user_id\":\"" + inPool + "\"}")
                .status())
        .isEqualTo(200);
    await()
        .atMost(WAIT)
        .until(
            () ->
                page.findElements(By.cssSelector("#live-events-body tr")).stream()
                    .anyMatch(r -> r.getText().contains(inPool)));
    assertThat(text("#live-events-body")).doesNotContain(inDefault);
    await().atMost(WAIT).until(() -> text("#pool-active").equals("1"));
    browser.screenshot("console-pool-picked");

    // A refresh cycle keeps the choice; the Pools view marks the pool shown.
    await().atMost(WAIT).until(() -> !text("#last-refresh").isBlank());
    assertThat(page.findElement(By.id("pool-picker")).getDomProperty("value")).isEqualTo(name);
    assertThat(text("#pool-title")).contains(name);
    page.findElement(By.cssSelector("#pool-picker option[value='default']")).click();
    await().atMost(WAIT).until(() -> text("#pool-size").equals(String.valueOf(POOL_SIZE)));
    assertThat(text("#pool-title")).contains("default").doesNotContain(name);
  }

  @Test
  void aFailedRunIsHighlightedInTheRunsView() throws Exception {
    logIn("admin", "admin-password-1");
    show("runs");
    WebElement failed;
    try (Connection connection = database.connect();
        Statement sql = connection.createStatement()) {
      sql.execute("RENAME TABLE tokens TO tokens_away");
      try {
        failed =
            await()
                .atMost(WAIT)
                .until(
                    () -> page.findElements(By.cssSelector("#runs-table tr.run.failed")),
                    rows -> !rows.isEmpty())
                .get(0);
      } finally {
        sql.execute("RENAME TABLE tokens_away TO tokens");
      }
    }
    assertThat(failed.findElement(By.cssSelector(".run-outcome")).getText()).contains("FAILED");
    assertThat(failed.getCssValue("background-color"))
        .isNotEqualTo(
            page.findElement(By.cssSelector("#runs-table tr.run:not(.failed)"))
                .getCssValue("background-color"));
    browser.screenshot("console-runs-failed");
  }

  @Test
  void onAPhoneEveryViewFitsTheScreenWidth() {
    browser.resizeViewport(390, 844);
    logIn("admin", "admin-password-1");
    for (String view : List.of("pool", "pools", "jobs", "runs", "cluster")) {
      show(view);
      await().atMost(WAIT).until(() -> !text("#last-refresh").isBlank());
      Number overflow =
          (Number)
              page.executeScript(
                  "return document.documentElement.scrollWidth - window.innerWidth;");
      assertThat(overflow.intValue()).as("%s scrolls sideways", view).isLessThanOrEqualTo(0);
    }
    show("pool");
    browser.screenshot("console-phone-pool");
    show("jobs");
    browser.screenshot("console-phone-jobs");
    show("pools");
    browser.screenshot("console-phone-pools");
  }

  @Test
  void theConsoleIsServedByTheNodeAndLoadsNothingFromElsewhere() {
    Reply moved = api.get("/console");
    assertThat(moved.status()).isEqualTo(301);
    assertThat(moved.header("Location")).endsWith("/console/");

    Reply index = api.get("/console/");
    assertThat(index.status()).isEqualTo(200);
    assertThat(index.contentType()).startsWith("text/html");
    assertThat(index.header("Content-Security-Policy")).contains("default-src 'self'");
    assertThat(index.header("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(index.body()).doesNotContainPattern("(src|href)=\"(https?:)?//");
    for (String file : List.of("console.js", "console.css")) {
      Reply asset = api.get("/console/" + file);
      assertThat(asset.status()).as(file).isEqualTo(200);
      assertThat(asset.body()).as(file).doesNotContainPattern("https?://(?!www\\.w3\\.org)");
      Reply again =
          api.as(null, "GET", "/console/" + file, Map.of("If-None-Match", asset.header("ETag")));
      assertThat(again.status()).as(file + " unchanged").isEqualTo(304);
    }
    Reply missing = api.get("/console/no-such-file.js");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.contentType()).startsWith("application/problem+json");
    assertThat(api.get("/console?refresh=2").header("Location")).endsWith("/console/?refresh=2");
  }

  @Test
  void theLoginWorksFromTheKeyboardAndRefusesAWrongPassword() {
    page.get(base + "console/?refresh=1");
    page.manage().deleteAllCookies();
    page.navigate().refresh();
    WebElement user =
        await()
            .atMost(WAIT)
            .until(() -> page.findElement(By.id("login-user")), WebElement::isDisplayed);
    user.click();
    user.sendKeys("admin", Keys.TAB, "wrong-password", Keys.ENTER);
    await().atMost(WAIT).until(() -> !text("#login-error").isBlank());
    assertThat(page.findElement(By.id("console")).isDisplayed()).isFalse();

    page.findElement(By.id("login-password")).clear();
    page.findElement(By.id("login-password")).sendKeys("admin-password-1", Keys.ENTER);
    await().atMost(WAIT).until(() -> page.findElement(By.id("console")).isDisplayed());
    org.openqa.selenium.Cookie session = page.manage().getCookieNamed("tokenpool_session");
    assertThat(session.isHttpOnly()).isTrue();
    assertThat(session.getSameSite()).isEqualTo("Strict");
    assertThat(
            (String)
                page.executeScript(
                    "return JSON.stringify(sessionStorage) + JSON.stringify(localStorage)"
                        + " + document.cookie"))
        .doesNotContain("admin-password-1")
        .doesNotContain(session.getValue());
    String cookie = "tokenpool_session=" + session.getValue();
    assertThat(api.as(null, "GET", "/api/admin/me", Map.of("Cookie", cookie)).status())
        .isEqualTo(200);

    page.findElement(By.id("logout")).click();
    await().atMost(WAIT).until(() -> page.findElement(By.id("login-form")).isDisplayed());
    await()
        .atMost(WAIT)
        .until(
            () -> api.as(null, "GET", "/api/admin/me", Map.of("Cookie", cookie)).status() == 401);
  }

  private void logIn(String user, String password) {
    page.get(base + "console/?refresh=1");
    page.manage().deleteAllCookies();
    page.navigate().refresh();
    WebElement name =
        await()
            .atMost(WAIT)
            .until(() -> page.findElement(By.id("login-user")), WebElement::isDisplayed);
    name.sendKeys(user);
    page.findElement(By.id("login-password")).sendKeys(password);
    page.findElement(By.id("login-submit")).click();
    await().atMost(WAIT).until(() -> page.findElement(By.id("console")).isDisplayed());
  }

  /** Waits until the texts of one cell of every run row satisfy {@code wanted}. */
  private void awaitRunCells(String cell, java.util.function.Predicate<List<String>> wanted) {
    await()
        .atMost(WAIT)
        // A refresh may replace a row between finding it and reading it: read again.
        .ignoreException(org.openqa.selenium.StaleElementReferenceException.class)
        .until(
            () ->
                page.findElements(By.cssSelector("#runs-table tr.run " + cell)).stream()
                    .map(WebElement::getText)
                    .toList(),
            wanted::test);
  }

  private void show(String view) {
    page.findElement(By.id("nav-" + view)).click();
    await().atMost(WAIT).until(() -> page.findElement(By.id("view-" + view)).isDisplayed());
  }

  private WebElement jobRow(String job) {
    return await()
        .atMost(WAIT)
        .until(
            () -> page.findElements(By.cssSelector("#jobs-table tr[data-job='" + job + "']")),
            rows -> !rows.isEmpty())
        .get(0);
  }

  private WebElement poolRow(String pool) {
    return await()
        .atMost(WAIT)
        .until(
            () -> page.findElements(By.cssSelector("#pools-table tr[data-pool='" + pool + "']")),
            rows -> !rows.isEmpty())
        .get(0);
  }

  private static String cell(WebElement row, String selector) {
    return row.findElement(By.cssSelector(selector)).getText().trim();
  }

  private static String state(WebElement row) {
    return row.findElement(By.cssSelector(".job-state")).getText().trim();
  }

  private String text(String selector) {
    return page.findElement(By.cssSelector(selector)).getText().trim();
  }

  /** The sum of one column of the pool view's activity table. */
  private long columnSum(String cellClass) {
    return page.findElements(By.cssSelector("#pool-activity-table td." + cellClass)).stream()
        .map(cell -> cell.getText().trim())
        .filter(text -> !text.isEmpty())
        .mapToLong(Long::parseLong)
        .sum();
  }

  /** The sum over the last minutes of one count of GET /api/admin/pool. */
  private long apiSum(String field) {
    JsonNode minutes =
        api.as(ADMIN, "GET", "/api/admin/pool").json().get("activity").get("minutes");
    return StreamSupport.stream(minutes.spliterator(), false)
        .mapToLong(minute -> minute.get(field).asLong())
        .sum();
  }

  /** The fire ids of the expiry job's latest runs, from the API. */
  private Set<String> fireIds() {
    JsonNode runs = api.get("/api/jobs/runs?job=expire-tokens&limit=50").json().get("runs");
    return StreamSupport.stream(runs.spliterator(), false)
        .map(run -> run.get("fire_instance_id").asText())
        .collect(Collectors.toSet());
  }
}
