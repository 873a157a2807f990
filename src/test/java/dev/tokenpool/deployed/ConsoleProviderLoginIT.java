package dev.tokenpool.deployed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tokenpool.testing.ApiClient;
import dev.tokenpool.testing.Browser;
import dev.tokenpool.testing.Deployments;
import dev.tokenpool.testing.Keycloak;
import java.net.URL;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * "Log in with the provider" in a real browser against Keycloak: an operator of the realm (carol,
 * who may get the operator scope) lands in the console with an HttpOnly session and no token in the
 * page; a user without the operator scope (alice) is sent back to the login with the reason.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ConsoleProviderLoginIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static Keycloak keycloak;
  private Browser browser;

  @Deployment(testable = false)
  static WebArchive deployment() throws Exception {
    keycloak = Keycloak.shared();
    return Deployments.realWar(
        "console-provider",
        Map.of(
            "TOKENPOOL_DATA_DIR", Files.createTempDirectory("tokenpool-provider-it").toString(),
            "TOKENPOOL_OIDC_ISSUER", keycloak.issuer(),
            "TOKENPOOL_OIDC_AUDIENCE", keycloak.audience(),
            "TOKENPOOL_OIDC_CONSOLE_CLIENT_ID", Keycloak.CONSOLE_CLIENT));
  }

  @ArquillianResource URL base;

  /** A fresh browser for each login: no single sign-on or cookie left from another user's test. */
  @BeforeEach
  void openTheBrowser() {
    browser = Browser.start(1280, 800);
  }

  @AfterEach
  void closeTheBrowser() {
    if (browser != null) {
      browser.close();
    }
  }

  @Test
  void anOperatorOfTheProviderLandsInTheConsoleWithASessionAndNoTokenInThePage() {
    ChromeDriver page = logInAtTheProvider("carol");

    await()
        .atMost(WAIT)
        .ignoreException(NoSuchElementException.class)
        .until(() -> page.findElement(By.id("console")).isDisplayed());
    await().atMost(WAIT).until(() -> page.findElement(By.id("whoami")).getText().contains("admin"));
    org.openqa.selenium.Cookie session = page.manage().getCookieNamed("tokenpool_session");
    assertThat(session.isHttpOnly()).isTrue();
    assertThat((String) page.executeScript("return JSON.stringify(sessionStorage)"))
        .doesNotContain("eyJ");
    assertThat(
            new ApiClient(base)
                .as(
                    null,
                    "GET",
                    "/api/admin/me",
                    Map.of("Cookie", "tokenpool_session=" + session.getValue()))
                .text("user"))
        .isEqualTo(keycloak.subjectOf("carol"));
    browser.screenshot("console-provider-login");
  }

  @Test
  void aUserWithoutTheOperatorScopeIsSentBackWithTheReason() {
    ChromeDriver page = logInAtTheProvider("alice");

    await()
        .atMost(WAIT)
        .ignoreException(NoSuchElementException.class)
        .until(() -> page.findElement(By.id("login-error")).getText().contains("operator scope"));
    assertThat(page.findElement(By.id("console")).isDisplayed()).isFalse();
    assertThat(page.getCurrentUrl()).doesNotContain("login_error");
  }

  private ChromeDriver logInAtTheProvider(String user) {
    ChromeDriver page = browser.driver();
    page.get(base + "console/");
    WebElement provider =
        await()
            .atMost(WAIT)
            .ignoreException(NoSuchElementException.class)
            .until(() -> page.findElement(By.id("login-provider")), WebElement::isDisplayed);
    assertThat(provider.getText()).isEqualTo("Log in with 127.0.0.1");
    provider.click();
    WebElement name =
        await()
            .atMost(WAIT)
            .ignoreException(NoSuchElementException.class)
            .until(() -> page.findElement(By.id("username")), WebElement::isDisplayed);
    name.sendKeys(user);
    page.findElement(By.id("password")).sendKeys(keycloak.password(user));
    page.findElement(By.id("kc-login")).click();
    return page;
  }
}
