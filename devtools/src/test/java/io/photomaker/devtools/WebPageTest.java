package io.photomaker.devtools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.photomaker.testkit.fixtures.SamplePortraits;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web page in headless Chromium against the whole system (embedded Kafka and S3, a gateway in dev mode and
 * a worker on the tiny models): a person picks photos, writes a prompt and gets generated images back.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebPageTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(5);

    private static EmbeddedStack stack;
    private static WebDriver browser;
    private static Path work;
    private static List<Path> photos;

    @BeforeAll
    static void start() throws Exception {
        List<String> missing = new ArrayList<>();
        for (Path p : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(p)) {
                missing.add(p.toString());
            }
        }
        assumeTrue(missing.isEmpty(), "browser test skipped: missing " + String.join(" and ", missing)
                + " (Debian packages chromium and chromium-driver)");
        work = Files.createTempDirectory("photomaker-web-test");
        photos = List.of(write("face-1.png", SamplePortraits.png(11, 320, 400)),
                write("face-2.jpg", SamplePortraits.jpeg(12, 300, 360)));
        stack = EmbeddedStack.start(0, 1, null, Map.of());
        browser = chromium(work.resolve("profile"));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (stack != null) {
            stack.close();
        }
        if (work != null) {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a leftover temporary directory does not affect the result
            }
        }
    }

    private static Path write(String name, byte[] bytes) throws IOException {
        return Files.write(work.resolve(name), bytes);
    }

    private static WebDriver chromium(Path profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile, "--window-size=1280,2300");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        // The local driver is given explicitly, so Selenium never looks for (or downloads) one itself.
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    private static WebElement byId(String id) {
        return browser.findElement(By.id(id));
    }

    private static void fillForm(String prompt) {
        browser.get(stack.url() + "/");
        byId("photos").sendKeys(photos.get(0).toAbsolutePath() + "\n" + photos.get(1).toAbsolutePath());
        WebElement text = byId("prompt");
        text.clear();
        text.sendKeys(prompt);
        new Select(byId("size")).selectByValue("512x512");
        WebElement steps = byId("steps");
        steps.clear();
        steps.sendKeys("8");
        WebElement outputs = byId("num-outputs");
        outputs.clear();
        outputs.sendKeys("1");
    }

    private static WebDriverWait waitFor(Duration timeout) {
        return new WebDriverWait(browser, timeout);
    }

    @Test
    @Order(1)
    void a_prompt_without_the_trigger_word_shows_the_apis_error() {
        fillForm("a photo of a woman in the snow");
        assertEquals("warn", byId("prompt-hint").getDomAttribute("data-level"));
        assertEquals(2, browser.findElements(By.cssSelector("#previews img")).size());
        byId("submit").click();
        WebElement error = byId("error");
        waitFor(Duration.ofSeconds(30)).until(d -> error.isDisplayed() && !error.getText().isEmpty());
        assertTrue(error.getText().startsWith("trigger_word_missing: "), error.getText());
        assertTrue(error.getText().contains("'img'"), error.getText());
        assertFalse(byId("job").isDisplayed(), "no job was created");
    }

    @Test
    @Order(2)
    void a_job_submitted_from_the_page_runs_and_shows_its_images() throws IOException {
        fillForm("a photo of a woman img smiling in the snow");
        assertEquals("ok", byId("prompt-hint").getDomAttribute("data-level"));
        byId("submit").click();
        WebElement status = byId("status");
        waitFor(JOB_TIMEOUT).until(d -> "succeeded".equals(status.getText()) || !byId("error").getText().isEmpty());
        assertEquals("succeeded", status.getText(), "error shown: " + byId("error").getText());
        assertTrue(byId("job-id").getText().matches("job_[0-9a-z]{26}"), byId("job-id").getText());
        assertEquals("stream", byId("job").getDomAttribute("data-watch"), "followed on the event stream");

        JavascriptExecutor js = (JavascriptExecutor) browser;
        waitFor(Duration.ofSeconds(60)).until(d -> Boolean.TRUE.equals(js.executeScript(
                "const imgs = Array.from(document.querySelectorAll('#results img'));"
                        + "return imgs.length === 1 && imgs.every(i => i.complete && i.naturalWidth === 512);")));
        WebElement progress = byId("progress");
        assertEquals(progress.getDomProperty("max"), progress.getDomProperty("value"));
        WebElement download = browser.findElement(By.cssSelector("#results a[download]"));
        assertTrue(download.getDomAttribute("href").startsWith("blob:"), download.getDomAttribute("href"));
        assertTrue(byId("error").getText().isEmpty(), byId("error").getText());

        List<String> blocked = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .map(LogEntry::getMessage).filter(m -> m.contains("Content Security Policy")).toList();
        assertEquals(List.of(), blocked);

        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Path target = Files.createDirectories(Path.of("target"));
        Files.copy(shot.toPath(), target.resolve("web-page.png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
