package io.ringkv.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ringkv.node.RingkvNode;
import io.ringkv.testing.HttpProbe;
import io.ringkv.testing.TestNodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The demo page against a node that requires tokens, in a real headless Chromium: it asks for a
 * token when the node answers 401, keeps it in the tab's sessionStorage only (not localStorage,
 * not a cookie), sends it on every request and as the feed's first message, and keeps working
 * after a reload without asking again. Skips without the system Chromium, like DemoPageBrowserTest.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokenPromptBrowserTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final String ADMIN = "browser-admin-4e5f6a7b8c9d";
  private static final Logger CDP_LOG = Logger.getLogger("org.openqa.selenium.devtools");

  private RingkvNode node;
  private ChromeDriverService service;
  private ChromeDriver driver;
  private WebDriverWait wait;
  private String pageUrl;

  @BeforeAll
  void start(@TempDir Path tmp) throws IOException {
    assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "needs the system Chromium and chromedriver (apt-get install -y chromium chromium-driver)");
    CDP_LOG.setLevel(Level.SEVERE);
    Path tokens = tmp.resolve("tokens.json");
    Files.writeString(tokens, "{\"tokens\": [{\"token\": \"" + ADMIN + "\", \"roles\": [\"admin\"]}]}");
    node = TestNodes.startSingle("n1", tmp.resolve("data"), Map.of("auth-tokens", tokens.toString()));
    pageUrl = "http://127.0.0.1:" + node.httpPort() + "/";
    Path buildDir = System.getProperty("ringkv.jar") != null
        ? Path.of(System.getProperty("ringkv.jar")).toAbsolutePath().getParent() : Path.of("target").toAbsolutePath();
    service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort()
        .withLogFile(buildDir.resolve("chromedriver-token.log").toFile()).build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--window-size=1400,1000",
        "--user-data-dir=" + Files.createDirectories(tmp.resolve("chromium-profile")));
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    driver = new ChromeDriver(service, options);
    wait = new WebDriverWait(driver, Duration.ofSeconds(20));
    wait.ignoring(StaleElementReferenceException.class).ignoring(NoSuchElementException.class);
  }

  @AfterAll
  void stop() {
    try {
      if (driver != null) {
        driver.quit();
      }
      if (service != null) {
        service.stop();
      }
    } finally {
      TestNodes.stop(node);
    }
  }

  @Test
  void asksForATokenKeepsItInTheSessionAndUsesItForRequestsAndTheFeed() {
    driver.get(pageUrl);
    WebElement dialog = wait.withMessage("the token form after a 401").until(d -> {
      WebElement e = d.findElement(By.id("auth-dialog"));
      return e.isDisplayed() ? e : null;
    });
    assertTrue(dialog.getText().contains("requires a token"), dialog.getText());
    driver.findElement(By.id("auth-token")).sendKeys(ADMIN);
    driver.findElement(By.id("auth-submit")).click();

    awaitReady();
    assertEquals(ADMIN, js("return sessionStorage.getItem('ringkv.token');"));
    assertEquals(0L, js("return localStorage.length;"), "nothing in localStorage");
    assertEquals("", js("return document.cookie;"), "no cookie");
    assertFalse(driver.getCurrentUrl().contains(ADMIN), "not in the URL");

    driver.findElement(By.id("key")).sendKeys("browser/secret");
    driver.findElement(By.id("value")).sendKeys("behind a token");
    driver.findElement(By.id("btn-put")).click();
    wait.withMessage("PUT answered 204").until(d -> "204".equals(
        d.findElement(By.id("response-status")).getDomAttribute("data-status")));
    wait.withMessage("the write's update through the token-authenticated feed").until(d -> d.findElements(
        By.cssSelector("#feed .feed-entry[data-key='browser/secret'][data-type='update']")).size() == 1);
    assertEquals("behind a token", new HttpProbe(node.httpPort()).get("/kv/browser/secret",
        "Authorization", "Bearer " + ADMIN).text());

    driver.navigate().refresh();
    awaitReady();
    assertTrue(driver.findElements(By.id("auth-dialog")).stream().noneMatch(WebElement::isDisplayed),
        "the session's token is used after a reload: no token form");
    assertOnlyExpectedConsoleErrors();
  }

  private void awaitReady() {
    wait.withMessage("body[data-ready=true]: /cluster answered and the feed is subscribed")
        .until(d -> !d.findElements(By.cssSelector("body[data-ready='true']")).isEmpty());
    wait.withMessage("the feed is connected").until(d -> "connected".equals(d.findElement(By.id("feed-status")).getText()));
  }

  /** The first /cluster calls answer 401 before the token is given; anything else is an error. */
  private void assertOnlyExpectedConsoleErrors() {
    List<String> unexpected = new ArrayList<>();
    for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
      System.out.println("[browser " + e.getLevel() + "] " + e.getMessage());
      if (e.getLevel().intValue() >= Level.SEVERE.intValue() && !e.getMessage().contains("401")) {
        unexpected.add(e.getMessage());
      }
    }
    assertTrue(unexpected.isEmpty(), "SEVERE entries in the browser console: " + unexpected);
  }

  private Object js(String script) {
    return ((JavascriptExecutor) driver).executeScript(script);
  }
}
