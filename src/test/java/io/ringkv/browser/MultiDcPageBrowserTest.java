package io.ringkv.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ringkv.testing.TestCluster;
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
 * The demo page of a two-DC cluster ({@code --replication dc1:2,dc2:2}) in real headless Chromium:
 * the Datacenters panel groups the nodes by DC and shows the replication lag to the other DC,
 * and the request form offers the DC-aware levels.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MultiDcPageBrowserTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Logger CDP_LOG = Logger.getLogger("org.openqa.selenium.devtools");

  private TestCluster cluster;
  private ChromeDriverService service;
  private ChromeDriver driver;

  @BeforeAll
  void start(@TempDir Path tmp) throws Exception {
    assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "needs the system Chromium and its driver: apt-get install -y chromium chromium-driver");
    CDP_LOG.setLevel(Level.SEVERE);
    cluster = TestCluster.startEach(4, tmp.resolve("data"), Map.of("replication", "dc1:2,dc2:2"),
        i -> Map.of("dc", i <= 2 ? "dc1" : "dc2"));
    String jar = System.getProperty("ringkv.jar");
    Path buildDir = jar != null ? Path.of(jar).toAbsolutePath().getParent() : Path.of("target").toAbsolutePath();
    service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort()
        .withLogFile(buildDir.resolve("chromedriver-multidc.log").toFile()).build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
        "--window-size=1400,1000", "--user-data-dir=" + Files.createDirectories(tmp.resolve("chromium-profile")));
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    driver = new ChromeDriver(service, options);
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

  @Test
  void theDatacentersPanelGroupsTheNodesByDcAndShowsTheLag() {
    for (int k = 0; k < 10; k++) {
      assertEquals(204, cluster.http(1).put("/kv/page" + k, "v").status());
    }
    driver.get("http://127.0.0.1:" + cluster.node(1).httpPort() + "/");
    WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
    wait.ignoring(StaleElementReferenceException.class).ignoring(NoSuchElementException.class);
    wait.withMessage("two DC groups, every node up").until(d -> {
      List<WebElement> groups = d.findElements(By.cssSelector("#dc-card .dc-group[data-dc]"));
      return groups.size() == 2 && d.findElements(By.cssSelector("#dc-card .dc-node.status-up")).size() == 4;
    });
    assertTrue(driver.findElement(By.id("dc-card")).isDisplayed());
    // The panel re-renders on every poll: read each group's nodes in one go, again if it was replaced.
    for (String[] group : new String[][] {{"dc1", "n1", "n2"}, {"dc2", "n3", "n4"}}) {
      wait.withMessage(group[0] + " groups " + group[1] + " and " + group[2]).until(d -> List.of(group[1], group[2])
          .equals(d.findElements(By.cssSelector("#dc-card .dc-group[data-dc='" + group[0] + "'] .dc-node")).stream()
              .map(e -> e.getDomAttribute("data-node")).toList()));
    }
    wait.withMessage("the lag to dc2 is shown").until(d -> d.findElement(
        By.cssSelector("#dc-card .dc-group[data-dc='dc2'] .dc-lag")).getText().startsWith("lag p50 "));
    List<String> options = driver.findElements(By.cssSelector("#w option")).stream()
        .map(o -> o.getDomAttribute("value")).toList();
    assertTrue(options.containsAll(List.of("local_one", "local_quorum", "each_quorum")), options.toString());
    List<String> severe = new ArrayList<>();
    for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
      if (e.getLevel().intValue() >= Level.SEVERE.intValue()) {
        severe.add(e.getMessage());
      }
    }
    assertEquals(List.of(), severe, "SEVERE entries in the browser console");
  }
}
