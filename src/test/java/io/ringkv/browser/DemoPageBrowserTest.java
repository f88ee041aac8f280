package io.ringkv.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ringkv.testing.HttpProbe.Reply;
import io.ringkv.testing.TestCluster;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The demo page (webroot/) in a real headless Chromium against three real clustered nodes in this
 * JVM: what a user sees after loading it, writing and reading a key, and merging a conflict.
 *
 * <p>Uses the system browser only (/usr/bin/chromium and /usr/bin/chromedriver, Debian packages
 * {@code chromium} and {@code chromium-driver}); skips when they are missing, fails on anything
 * else. Screenshots go to {@code target/screenshots/}. Any SEVERE browser console entry (uncaught
 * exception, failed resource) and any error toast of the page fail the test that caused it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DemoPageBrowserTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final int WIDTH = 1400;
  private static final int HEIGHT = 1000;
  /**
   * This test never uses CDP, so Selenium's "Unable to find CDP implementation matching NNN" (its
   * devtools modules cover only the newest Chromium majors; Debian's may be older) is noise.
   * Held in a field: java.util.logging keeps loggers only weakly, and would drop the level.
   */
  private static final Logger CDP_LOG = Logger.getLogger("org.openqa.selenium.devtools");

  private TestCluster cluster;
  private ChromeDriverService service;
  private ChromeDriver driver;
  private WebDriverWait wait;
  private Path buildDir;
  private Path screenshots;
  private String pageUrl;

  @BeforeAll
  void start(@TempDir Path tmp) throws IOException {
    assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "DemoPageBrowserTest needs the system Chromium and its driver at " + CHROMIUM + " and " + CHROMEDRIVER
            + "; install them with: apt-get install -y chromium chromium-driver");
    CDP_LOG.setLevel(Level.SEVERE);

    String jar = System.getProperty("ringkv.jar");
    buildDir = jar != null ? Path.of(jar).toAbsolutePath().getParent() : Path.of("target").toAbsolutePath();
    screenshots = Files.createDirectories(buildDir.resolve("screenshots"));

    cluster = TestCluster.start(3, tmp.resolve("data"), Map.of());
    pageUrl = "http://127.0.0.1:" + cluster.node(1).httpPort() + "/";

    service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort()
        .withLogFile(buildDir.resolve("chromedriver.log").toFile())
        .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--window-size=" + WIDTH + "," + HEIGHT,
        "--user-data-dir=" + Files.createDirectories(tmp.resolve("chromium-profile")));
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    driver = new ChromeDriver(service, options);
    driver.manage().window().setSize(new Dimension(WIDTH, HEIGHT));
    wait = new WebDriverWait(driver, WAIT);
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
      if (cluster != null) {
        cluster.close();
      }
    }
  }

  /** After every scenario: nothing went wrong inside the page, whatever the visible result. */
  @AfterEach
  void noErrorsInThePage() {
    if (driver == null) {
      return;
    }
    List<String> severe = new ArrayList<>();
    for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
      System.out.println("[browser " + e.getLevel() + "] " + e.getMessage());
      if (e.getLevel().intValue() >= Level.SEVERE.intValue()) {
        severe.add(e.getMessage());
      }
    }
    // Read and reset: toasts stay in the DOM, and a later scenario should not inherit this one's.
    Object toast = js("const t = document.getElementById('toast'); const s = t ? t.textContent : null;"
        + " if (t) { t.textContent = ''; } return s;");
    if (!severe.isEmpty()) {
      fail("SEVERE entries in the browser console: " + severe);
    }
    if (toast != null && !toast.toString().isEmpty()) {
      fail("the page showed an error toast: " + toast);
    }
  }

  @Test
  @Order(1)
  void pageLoadsAndShowsTheCluster() {
    openPage();
    List<WebElement> cards = driver.findElements(By.cssSelector("#nodes .node-card[data-node]"));
    assertEquals(List.of("n1", "n2", "n3"), cards.stream().map(c -> c.getDomAttribute("data-node")).toList());
    for (WebElement card : cards) {
      assertEquals("up", card.getDomAttribute("data-status"), "node card " + card.getDomAttribute("data-node"));
      assertEquals("up", card.findElement(By.cssSelector(".status")).getText());
    }
    assertEquals(256, driver.findElements(By.cssSelector("#ring path.seg")).size(), "ring segments");
    assertEquals(256, driver.findElements(By.cssSelector("#ring path.seg[data-owner^='n']")).size(),
        "every segment has an owner");
    assertEquals("connected", driver.findElement(By.id("feed-status")).getText());
    assertEquals("n1", driver.findElement(By.id("self-id")).getText());
    screenshot("01-ready.png");
  }

  @Test
  @Order(2)
  void putThenGetFromTheForm() {
    openPage();
    String key = "demo/greeting";
    String value = "hello from the browser";
    type(By.id("key"), key);
    type(By.id("value"), value);
    driver.findElement(By.id("btn-put")).click();
    awaitStatus("204");

    By entry = By.cssSelector("#feed .feed-entry[data-key='" + key + "'][data-type='update']");
    wait.withMessage("an update for " + key + " in the live feed").until(d -> d.findElements(entry).stream()
        .anyMatch(e -> e.getText().contains(value)));

    driver.findElement(By.id("btn-get")).click();
    awaitStatus("200");
    wait.withMessage("the value in the response body")
        .until(d -> d.findElement(By.id("response-body")).getText().contains(value));
    assertTrue(driver.findElement(By.id("response-status")).getText().startsWith("200"));
    screenshot("02-put.png");
  }

  @Test
  @Order(3)
  void aConflictShowsUpAndIsMergedFromThePage() {
    openPage();
    String key = "demo/cart";
    // Two blind writes (no context) through different coordinators are concurrent versions: siblings.
    // Written one after the other so that the feed's events arrive in order (update, then conflict).
    assertEquals(204, cluster.http(1).put("/kv/demo%2Fcart?w=all", "milk, eggs", "Content-Type", "text/plain").status());
    assertEquals(204, cluster.http(3).put("/kv/demo%2Fcart?w=all", "milk, bread", "Content-Type", "text/plain").status());

    By panel = By.cssSelector("#conflicts .conflict[data-key='" + key + "']");
    wait.withMessage("a conflict panel for " + key + " with both siblings").until(d -> {
      List<WebElement> siblings = d.findElement(panel).findElements(By.cssSelector(".sibling"));
      String text = d.findElement(panel).getText();
      return siblings.size() == 2 && text.contains("milk, eggs") && text.contains("milk, bread");
    });
    assertEquals("1", driver.findElement(By.id("conflicts-count")).getText());
    assertTrue(driver.findElements(By.cssSelector("#feed .feed-entry[data-key='" + key + "'][data-type='conflict']"))
        .size() >= 1, "the conflict event is in the feed");
    scrollIntoView(driver.findElement(panel));
    screenshot("03-conflict.png");
    fullPageScreenshot("03-conflict-full.png");

    WebElement conflict = driver.findElement(panel);
    WebElement sibling = conflict.findElements(By.cssSelector(".sibling")).get(0);
    String picked = sibling.findElement(By.cssSelector(".value-box")).getText();
    sibling.findElement(By.cssSelector(".pick")).click();
    WebElement merged = conflict.findElement(By.cssSelector("textarea.merged-value"));
    wait.withMessage("picking a sibling copies its value").until(d -> picked.equals(merged.getDomProperty("value")));
    assertTrue(sibling.getDomAttribute("class").contains("picked"));
    String mergedValue = "milk, eggs, bread";
    type(merged, mergedValue);
    conflict.findElement(By.cssSelector("button.merge")).click();

    wait.withMessage("the conflict panel for " + key + " goes away").until(d -> d.findElements(panel).isEmpty());
    By update = By.cssSelector("#feed .feed-entry[data-key='" + key + "'][data-type='update']");
    wait.withMessage("the merged update for " + key + " in the live feed").until(d -> d.findElements(update).stream()
        .anyMatch(e -> e.getText().contains(mergedValue)));
    assertEquals("0", driver.findElement(By.id("conflicts-count")).getText());

    Reply viaN2 = cluster.http(2).get("/kv/demo%2Fcart");
    assertEquals(200, viaN2.status(), "read through n2 after the merge: " + viaN2);
    assertEquals(mergedValue, viaN2.text());
    screenshot("04-merged.png");
  }

  @Test
  @Order(4)
  void theAntiEntropyPanelShowsEveryNodesLastPass() {
    openPage();
    By rows = By.cssSelector("#ae-nodes .ae-row[data-node]");
    wait.withMessage("a row per node in the anti-entropy panel").until(d -> d.findElements(rows).size() == 3);
    WebElement run = driver.findElement(By.id("ae-run"));
    scrollIntoView(run);
    run.click();
    By n1 = By.cssSelector("#ae-nodes .ae-row[data-node='n1']");
    wait.withMessage("n1's pass shows up with when it ran and the keys it repaired").until(d -> {
      WebElement row = d.findElement(n1);
      String passes = row.getDomAttribute("data-passes");
      String last = row.findElement(By.cssSelector(".ae-last")).getText();
      String repaired = row.findElement(By.cssSelector(".ae-repaired")).getText();
      return passes != null && !passes.isEmpty() && Integer.parseInt(passes) >= 1 && last.endsWith("ago")
          && repaired.matches("\\d+");
    });
    assertEquals(List.of("n1", "n2", "n3"), driver.findElements(rows).stream()
        .map(r -> r.getDomAttribute("data-node")).toList());
    screenshot("05-anti-entropy.png");
  }

  @Test
  @Order(5)
  void aJoinShowsTheNewNodesStateAndThePartitionsInMotionUntilItEnds() {
    openPage();
    // Enough data that n4's copies, paced at 64 KiB/s, take several seconds: the page is seen mid-way.
    String value = "j".repeat(1024);
    for (int k = 0; k < 1_000; k++) {
      assertEquals(204, cluster.http(1 + k % 3).put("/kv/join-" + k, value, "Content-Type", "text/plain").status());
    }
    cluster.add("n4", Map.of("transfer-bytes-per-second", "65536"));
    Duration joinWait = Duration.ofSeconds(90);
    By n4Card = By.cssSelector("#nodes .node-card[data-node='n4']");
    new WebDriverWait(driver, joinWait).ignoring(NoSuchElementException.class)
        .withMessage("n4's card says joining while partitions move to it, on the ring and in the copy list")
        .until(d -> "joining".equals(d.findElement(n4Card).getDomAttribute("data-membership"))
            && "joining".equals(d.findElement(n4Card).findElement(By.cssSelector(".membership")).getText())
            && !d.findElements(By.cssSelector("#ring path.seg.moving")).isEmpty()
            && !d.findElements(By.cssSelector("#ring path.move[data-to='n4']")).isEmpty()
            && !d.findElements(By.cssSelector("#transfer-targets .transfer-target[data-node='n4']")).isEmpty()
            && !d.findElements(By.cssSelector("#transfers .transfer[data-to='n4'][data-done='false']")).isEmpty());
    WebElement target = driver.findElement(By.cssSelector("#transfer-targets .transfer-target[data-node='n4']"));
    int total = Integer.parseInt(target.getDomAttribute("data-total"));
    assertTrue(total >= 64, "n4 receives a copy of at least its 64 partitions: " + total);
    assertTrue(target.getText().contains("/ " + total + " partitions copied"), target.getText());
    assertTrue(driver.findElement(By.id("transfers-empty")).getDomAttribute("hidden") != null);
    for (WebElement card : driver.findElements(By.cssSelector("#nodes .node-card[data-node]"))) {
      if (!"n4".equals(card.getDomAttribute("data-node"))) {
        assertEquals("member", card.getDomAttribute("data-membership"), card.getDomAttribute("data-node"));
      }
    }
    scrollIntoView(driver.findElement(By.id("transfers-card")));
    screenshot("06-join-in-progress.png");
    fullPageScreenshot("06-join-in-progress-full.png");

    new WebDriverWait(driver, joinWait).ignoring(NoSuchElementException.class)
        .withMessage("the join ends: n4 a member owning its 64 partitions, nothing moving")
        .until(d -> "member".equals(d.findElement(n4Card).getDomAttribute("data-membership"))
            && d.findElements(By.cssSelector("#ring path.seg.moving")).isEmpty()
            && d.findElements(By.cssSelector("#ring path.seg[data-owner='n4']")).size() == 64
            && d.findElement(By.id("transfers-empty")).getDomAttribute("hidden") == null
            && d.findElements(By.cssSelector("#transfers .transfer")).isEmpty());
    screenshot("07-join-done.png");
  }

  // ------------------------------------------------------------------------------------------------

  /** Loads the page once (or again after a failed scenario left it elsewhere) and waits until it is ready. */
  private void openPage() {
    if (!pageUrl.equals(driver.getCurrentUrl())) {
      driver.get(pageUrl);
    }
    wait.withMessage("body[data-ready=true]: /cluster answered and the feed is subscribed")
        .until(d -> !d.findElements(By.cssSelector("body[data-ready='true']")).isEmpty());
    wait.withMessage("3 node cards, all up").until(d -> {
      List<WebElement> cards = d.findElements(By.cssSelector("#nodes .node-card[data-node]"));
      return cards.size() == 3 && cards.stream().allMatch(c -> "up".equals(c.getDomAttribute("data-status")));
    });
    wait.withMessage("the ring is drawn").until(d -> d.findElements(By.cssSelector("#ring path.seg")).size() == 256);
    wait.withMessage("#feed-status says connected")
        .until(d -> "connected".equals(d.findElement(By.id("feed-status")).getText()));
  }

  private void awaitStatus(String status) {
    wait.withMessage("#response-status data-status=" + status).until(d -> {
      String s = d.findElement(By.id("response-status")).getDomAttribute("data-status");
      if (!"pending".equals(s) && !status.equals(s) && s != null && !s.isEmpty()) {
        throw new AssertionError("#response-status is " + s + " ("
            + d.findElement(By.id("response-status")).getText() + "), expected " + status
            + "; body: " + d.findElement(By.id("response-body")).getText());
      }
      return status.equals(s);
    });
  }

  private void type(By field, String text) {
    type(driver.findElement(field), text);
  }

  private void type(WebElement field, String text) {
    field.clear();
    field.sendKeys(text);
    assertEquals(text, field.getDomProperty("value"));
  }

  private Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  private void scrollIntoView(WebElement el) {
    js("arguments[0].scrollIntoView({block: 'center'});", el);
  }

  private void screenshot(String name) {
    File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
    Path target = screenshots.resolve(name);
    try {
      Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    System.out.println("screenshot: " + target);
  }

  /** The whole page at the usual width: the window grows to the document's height for one shot. */
  private void fullPageScreenshot(String name) {
    Dimension before = driver.manage().window().getSize();
    Number height = (Number) js("return Math.max(document.documentElement.scrollHeight, document.body.scrollHeight);");
    try {
      driver.manage().window().setSize(new Dimension(WIDTH, Math.min(4000, height.intValue() + 140)));
      js("window.scrollTo(0, 0);");
      screenshot(name);
    } finally {
      driver.manage().window().setSize(before);
    }
  }
}
