package jp.kominkan.cloud.resident;

import java.time.Duration;

import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A keyboard-only user, counting what they press: each key (Tab, Enter, an arrow) and each character
 * typed is one press, sent to whatever has focus, as a person's keyboard would.
 */
final class Keyboard {

    private final WebDriver driver;
    private int presses;
    private int typed;

    Keyboard(WebDriver driver) {
        this.driver = driver;
    }

    /** Presses a key once. */
    void press(CharSequence key) {
        new Actions(driver).sendKeys(key).perform();
        presses++;
    }

    /** Presses a key a number of times. */
    void press(CharSequence key, int times) {
        for (int i = 0; i < times; i++) {
            press(key);
        }
    }

    /** Presses a key with Ctrl held (one press). */
    void ctrl(CharSequence key) {
        new Actions(driver).keyDown(Keys.CONTROL).sendKeys(key).keyUp(Keys.CONTROL).perform();
        presses++;
    }

    /** Types text one character at a time into what has focus. */
    void type(String text) {
        text.codePoints().forEach(c -> {
            new Actions(driver).sendKeys(new String(Character.toChars(c))).perform();
            presses++;
            typed++;
        });
    }

    /** Presses a key that leads to another page, and waits until it has replaced this one. */
    void pressToNextPage(CharSequence key) {
        WebElement html = driver.findElement(By.tagName("html"));
        press(key);
        new WebDriverWait(driver, Duration.ofSeconds(15)).until(d -> {
            try {
                html.isEnabled();
                return false;
            } catch (StaleElementReferenceException e) {
                return true;
            }
        });
        new WebDriverWait(driver, Duration.ofSeconds(15)).until(d -> "complete".equals(
                ((org.openqa.selenium.JavascriptExecutor) d).executeScript("return document.readyState")));
    }

    /** @return what has focus */
    WebElement focused() {
        return driver.switchTo().activeElement();
    }

    /** @return every press so far */
    int presses() {
        return presses;
    }

    /** @return the presses that were characters typed into a field */
    int typed() {
        return typed;
    }
}
