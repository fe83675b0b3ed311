package dev.depthdav.webapp;

import java.io.File;
import java.time.Duration;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Measures the browser UI on a folder: {@code FirstScreen URL [RUNS]} opens the folder's URL in
 * headless chromium RUNS times (default 3) and prints, from the page's own performance marks,
 * when its first rows were on screen, when the whole listing had been read and when it was on
 * screen (ms from the start of navigation), then how long a jump to the end of the list takes
 * to render.
 */
public final class FirstScreen {
  public static void main(String[] args) {
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    ChromeOptions o = new ChromeOptions();
    o.setBinary(new File("/usr/bin/chromium"));
    o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--window-size=1100,800");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
    ChromeDriver d = new ChromeDriver(service, o);
    try {
      for (int i = 0; i < runs; i++) {
        d.get(args[0]);
        new WebDriverWait(d, Duration.ofMinutes(5)).until(x -> (Boolean) d.executeScript(
            "return performance.getEntriesByName('depthdav:listed').length > 0"));
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) d.executeScript(
            "const t = (n) => Math.round(performance.getEntriesByName(n)[0].startTime);"
                + "const s = document.getElementById('scroller');"
                + "const a = performance.now(); s.scrollTop = s.scrollHeight;"
                + "s.dispatchEvent(new Event('scroll'));"
                + "return {first: t('depthdav:first-rows'), fetched: t('depthdav:fetched'),"
                + " listed: t('depthdav:listed'),"
                + " rows: document.querySelectorAll('#rows tr.entry').length,"
                + " count: document.getElementById('count').textContent, a: a};");
        long scrolled = (Long) d.executeAsyncScript(
            "const done = arguments[arguments.length - 1]; const a = performance.now();"
                + "requestAnimationFrame(() => requestAnimationFrame(() =>"
                + " done(Math.round(performance.now() - a))));");
        System.out.println("run " + (i + 1) + ": first rows on screen at " + m.get("first")
            + " ms, whole listing read at " + m.get("fetched") + " ms and on screen at "
            + m.get("listed") + " ms, " + m.get("rows")
            + " rows in the DOM (" + m.get("count") + "), jump to the end rendered in "
            + scrolled + " ms; last row: "
            + d.findElements(By.cssSelector("#rows tr.entry .c-name a")).stream()
                .reduce((x, y) -> y).map(e -> e.getText()).orElse("-"));
      }
    } finally {
      d.quit();
    }
  }
}
