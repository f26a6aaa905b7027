package dev.requesttiming.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}), driven through
 * Selenium with the driver of the package: nothing is downloaded. Tests of the live view use it.
 */
public final class Chromium {

  private static final Path BROWSER = Path.of("/usr/bin/chromium");
  private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

  private Chromium() {}

  /** Skips the test when Chromium or its driver is missing; fails it in CI, which installs them. */
  public static void requireBinaries() {
    boolean present = Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER);
    if (System.getenv("CI") != null) {
      assertThat(present).as("chromium and chromium-driver must be installed in CI (apt-get install chromium chromium-driver)").isTrue();
    }
    assumeTrue(present, "chromium or chromedriver is not installed (apt-get install chromium chromium-driver)");
  }

  /** A headless browser with a window of {@code width} × {@code height} CSS pixels; quit it when done. */
  public static ChromeDriver start(int width, int height) {
    requireBinaries();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BROWSER.toFile());
    options.addArguments(
        "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--no-first-run",
        "--disable-extensions", "--hide-scrollbars", "--window-size=" + width + "," + height);
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30)).scriptTimeout(Duration.ofSeconds(10));
    return driver;
  }

  /**
   * A wait of up to {@code timeout} that looks every 100 ms. The live view redraws every 2 s: an
   * element found just before a redraw is gone when read, so that look is simply repeated.
   */
  public static WebDriverWait waitUpTo(WebDriver browser, Duration timeout) {
    WebDriverWait wait = new WebDriverWait(browser, timeout);
    wait.pollingEvery(Duration.ofMillis(100)).ignoring(StaleElementReferenceException.class);
    return wait;
  }
}
