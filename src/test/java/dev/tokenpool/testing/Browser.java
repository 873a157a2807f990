package dev.tokenpool.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless chromium, driven through Debian's chromium-driver (deploy/ensure-chromium.sh
 * installs both): the paths are given, so Selenium never looks for or downloads a browser or a
 * driver of its own.
 */
public final class Browser implements AutoCloseable {

  private static final String CHROMIUM = "/usr/bin/chromium";
  private static final String CHROMEDRIVER = "/usr/bin/chromedriver";

  /** Where screenshots go: docs/images when the docs' pictures are renewed. */
  private static final Path SCREENSHOTS =
      Path.of(System.getProperty("tokenpool.screenshots", "target/screenshots"));

  private final ChromeDriver driver;

  private Browser(ChromeDriver driver) {
    this.driver = driver;
  }

  /** A browser window of this size, CSS pixels at scale 1. */
  public static Browser start(int width, int height) {
    for (String program : new String[] {CHROMIUM, CHROMEDRIVER}) {
      if (!new File(program).canExecute()) {
        throw new IllegalStateException(
            program
                + " is missing: install chromium and chromium-driver (deploy/ensure-chromium.sh)");
      }
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments(
        "--headless=new",
        "--no-sandbox", // CI runs as root, where chromium's sandbox cannot start
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--force-device-scale-factor=1",
        "--window-size=" + width + "," + height,
        "--lang=en-GB");
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER))
            .usingAnyFreePort()
            .build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
    return new Browser(driver);
  }

  public ChromeDriver driver() {
    return driver;
  }

  /** Makes the page's viewport exactly this size (the window adds its own frame otherwise). */
  public void resizeViewport(int width, int height) {
    driver.manage().window().setSize(new Dimension(width, height));
    Object inner = driver.executeScript("return [window.innerWidth, window.innerHeight];");
    List<?> size = (List<?>) inner;
    int dx = width - ((Number) size.get(0)).intValue();
    int dy = height - ((Number) size.get(1)).intValue();
    if (dx != 0 || dy != 0) {
      driver.manage().window().setSize(new Dimension(width + dx, height + dy));
    }
  }

  /** Saves what the viewport shows as {@code name}.png in the screenshot folder. */
  public Path screenshot(String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      Path file = SCREENSHOTS.resolve(name + ".png");
      Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    driver.quit();
  }
}
