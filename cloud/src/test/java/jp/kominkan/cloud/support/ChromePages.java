package jp.kominkan.cloud.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium for page tests: open, click and submit waiting until the next page has
 * replaced this one, fill fields, and check a page — axe-core (WCAG 2.1 A/AA) and a screenshot at
 * 1280 and 360 px (or the widths asked for), and no sideways scrolling at any width. Findings are collected per page so
 * a journey reports them all; a test asserts {@link #violations()} is empty.
 */
public final class ChromePages implements AutoCloseable {

    /** Where screenshots and summaries go. */
    public static final Path SHOTS = Path.of("target", "screenshots");
    private static final List<Integer> WIDTHS = List.of(1280, 360);
    /** A desktop, 640 px (a 1280 px screen at 200 % zoom), and the narrowest phones. */
    public static final List<Integer> ZOOM_WIDTHS = List.of(1280, 640, 360, 320);
    private static final Duration WAIT = Duration.ofSeconds(15);

    private final WebDriver browser;
    private final String base;
    private final List<String> checked = new ArrayList<>();
    private final Map<String, String> violations = new TreeMap<>();

    /**
     * @param base the site's address, e.g. http://127.0.0.1:8080
     */
    public ChromePages(String base) {
        this.base = base;
        try {
            Files.createDirectories(SHOTS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-quic", "--lang=ja", "--window-size=1280,1600");
        browser = new ChromeDriver(new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build(), options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    /** @return the driver, for what these helpers do not cover */
    public WebDriver driver() {
        return browser;
    }

    /** @return page@width → what axe-core or the layout check found; empty when all is well */
    public Map<String, String> violations() {
        return Map.copyOf(violations);
    }

    /**
     * axe-core and a screenshot at each width, and no sideways scrolling at the narrow one.
     *
     * @param name the page state's name, used for the screenshot files
     */
    public void check(String name) {
        check(name, WIDTHS);
    }

    /**
     * axe-core and a screenshot at each of the given widths, and no sideways scrolling at any.
     *
     * @param name   the page state's name, used for the screenshot files
     * @param widths the window widths in CSS pixels; {@link #ZOOM_WIDTHS} covers phones and 200 % zoom
     */
    public void check(String name, List<Integer> widths) {
        for (int width : widths) {
            browser.manage().window().setSize(new Dimension(width, 1600));
            List<Rule> found = new AxeBuilder().withTags(List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa"))
                    .analyze(browser).getViolations();
            String details = found.stream().map(r -> r.getId() + " " + r.getNodes().stream()
                    .map(n -> String.valueOf(n.getTarget())).toList()).toList().toString();
            checked.add(name + " @" + width + "px: " + found.size() + (found.isEmpty() ? "" : " " + details));
            if (!found.isEmpty()) {
                violations.put(name + "@" + width, details);
            }
            Object overflow = script("return document.documentElement.scrollWidth - window.innerWidth");
            if (((Number) overflow).intValue() > 0) {
                violations.put(name + "@" + width + " scrolls sideways", String.valueOf(script(
                        "return Array.from(document.querySelectorAll('body *'))"
                                + ".filter(e => e.getBoundingClientRect().right > window.innerWidth)"
                                + ".map(e => e.tagName + '.' + e.className + '#' + e.id).slice(0, 5).join(' ')")));
            }
            try {
                Files.write(SHOTS.resolve(name + "-" + width + ".png"),
                        ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        browser.manage().window().setSize(new Dimension(1280, 1600));
    }

    /**
     * @param path a local path
     */
    public void open(String path) {
        browser.get(base + path);
    }

    /**
     * Clicks a link and waits until the next page has replaced this one.
     *
     * @param by the link
     */
    public void click(By by) {
        WebElement link = waitFor(by);
        link.click();
        new WebDriverWait(browser, WAIT).until(replaced(link));
        waitFor(By.tagName("body"));
    }

    /**
     * Clicks a form's button and waits until the next page has replaced this one.
     *
     * @param label the button's text
     */
    public void submit(String label) {
        WebElement button = waitFor(By.xpath("//button[normalize-space(.)='" + label + "']"));
        button.click();
        new WebDriverWait(browser, WAIT).until(replaced(button));
        waitFor(By.tagName("body"));
    }

    /**
     * Types into a field; date and time pickers, whose typing depends on the locale, get their value set.
     *
     * @param id    the field's id
     * @param value what to type
     */
    public void fill(String id, String value) {
        WebElement field = waitFor(By.id(id));
        String type = String.valueOf(field.getAttribute("type"));
        if (type.equals("date") || type.equals("time")) {
            script("arguments[0].value = arguments[1];", field, value);
            return;
        }
        field.clear();
        field.sendKeys(value);
    }

    /** @return the page's text */
    public String text() {
        return browser.findElement(By.tagName("body")).getText();
    }

    /**
     * @param by what to wait for
     * @return it, once present (the page is kept in target/screenshots/failure.html when it never is)
     */
    public WebElement waitFor(By by) {
        try {
            return new WebDriverWait(browser, WAIT).until(ExpectedConditions.elementToBeClickable(by));
        } catch (org.openqa.selenium.TimeoutException e) {
            try {
                Files.writeString(SHOTS.resolve("failure.html"), browser.getCurrentUrl() + "\n" + browser.getPageSource());
            } catch (IOException ignored) {
                // the assertion says enough
            }
            throw new AssertionError("waited " + WAIT.toSeconds() + " s for " + by + " on " + browser.getCurrentUrl(), e);
        }
    }

    /**
     * @param path part of the URL to wait for
     */
    public void waitForPath(String path) {
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.urlContains(path));
    }

    /**
     * @param js   a script
     * @param args its arguments
     * @return what it returned
     */
    public Object script(String js, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(js, args);
    }

    /**
     * Writes what each check found.
     *
     * @param file e.g. axe-summary.txt
     */
    public void writeSummary(String file) {
        try {
            Files.writeString(SHOTS.resolve(file), "axe-core (wcag2a, wcag2aa, wcag21a, wcag21aa) violations per page"
                    + " and width:\n" + String.join("\n", checked) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        browser.quit();
    }

    /**
     * Whether the page holding this element has been replaced. Selenium's stalenessOf expects a stale
     * element error; while the document is being swapped Chrome may instead say the node "does not
     * belong to the document", which means the same thing.
     */
    private static ExpectedCondition<Boolean> replaced(WebElement element) {
        return driver -> {
            try {
                element.isEnabled();
                return false;
            } catch (StaleElementReferenceException e) {
                return true;
            } catch (WebDriverException e) {
                if (String.valueOf(e.getMessage()).contains("does not belong to the document")) {
                    return true;
                }
                throw e;
            }
        };
    }
}
