package dev.depthdav.webapp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.depthdav.server.DavServer;
import dev.depthdav.server.TestServers;
import dev.depthdav.store.DavPath;
import dev.depthdav.testing.BuildTree;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.StringReader;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * The browser UI end to end: Debian's chromium, headless, driven through chromedriver against
 * the real server, and every change checked again over WebDAV. Skipped only with
 * {@code -DskipClients=true} (as the other client tests); otherwise a missing chromium fails.
 */
class BrowserTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path SHOTS = Path.of("target", "browser-screenshots");
  private static final String FOLDER = "Ünïcødé <x> & \"q\" #1 %20";
  private static final String AWKWARD = "a <b> \"c\" & d#1 %20.txt";
  private static final int TREE = 40_000;
  private static final String PAGE = "<b>not bold</b> & <i>not italic</i>\n";
  private static final String NOTE = "a <b> & \"c\" é";
  private static final String PATCH = "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
      + "<D:propertyupdate xmlns:D=\"DAV:\" xmlns:T=\"urn:x-test:\"><D:set><D:prop>"
      + "<T:color>blue &amp; &lt;green&gt;</T:color><T:shape>ruby</T:shape>"
      + "</D:prop></D:set></D:propertyupdate>";
  private static final String ALLPROP = "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
      + "<D:propfind xmlns:D=\"DAV:\"><D:allprop/></D:propfind>";
  private static final String LOCK_BODY = "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
      + "<D:lockinfo xmlns:D=\"DAV:\"><D:lockscope><D:exclusive/></D:lockscope>"
      + "<D:locktype><D:write/></D:locktype></D:lockinfo>";

  @TempDir Path data;
  @TempDir Path files;
  DavServer server;
  SteppedCopyStore stepped;
  ChromeDriver driver;
  final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() throws Exception {
    if (driver != null) {
      driver.quit();
    }
    if (stepped != null) {
      stepped.disarm();
    }
    TestServers.stop(server);
  }

  @Test
  void browse_upload_rename_move_copyWithProgress_delete() throws Exception {
    needBrowser();
    BuildTree.main(new String[] {data.toString(), Integer.toString(TREE)});
    server = TestServers.start(data, c -> c, s -> stepped = new SteppedCopyStore(s));
    assertEquals(201, send("MKCOL", "/" + FOLDER + "/", null).statusCode());
    assertEquals(201, send("PUT", "/" + FOLDER + "/" + AWKWARD, "awkward\n").statusCode());
    assertEquals(201, send("MKCOL", "/copies/", null).statusCode());
    driver = chromium();
    try {
      scenario();
    } catch (Throwable t) {
      shot("failure");
      throw t;
    }
    if (Boolean.getBoolean("depthdav.docImages")) {
      Path images = Path.of("docs", "images");
      Files.createDirectories(images);
      Files.copy(SHOTS.resolve("folder.png"), images.resolve("browser-folder.png"),
          StandardCopyOption.REPLACE_EXISTING);
      Files.copy(SHOTS.resolve("progress.png"), images.resolve("browser-progress.png"),
          StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Test
  void preview_properties_breakLock() throws Exception {
    needBrowser();
    server = TestServers.start(data);
    assertEquals(201, send("MKCOL", "/view/", null).statusCode());
    assertEquals(201, put("/view/dot.png", png(3, 2), "image/png"));
    assertEquals(201, put("/view/page.html", PAGE.getBytes(StandardCharsets.UTF_8), "text/html"));
    assertEquals(201, put("/view/big.log", "x".repeat(100_000).getBytes(StandardCharsets.UTF_8),
        "application/octet-stream"));
    driver = chromium();
    try {
      details();
    } catch (Throwable t) {
      shot("failure-details");
      throw t;
    }
  }

  private static void needBrowser() {
    Assumptions.assumeFalse(Boolean.getBoolean("depthdav.skipBrowser"),
        "-DskipClients=true: no browser tests");
    for (Path p : List.of(CHROMIUM, CHROMEDRIVER)) {
      assertTrue(Files.isExecutable(p), p + " is missing: apt-get install chromium chromium-driver");
    }
  }

  private void details() throws Exception {
    driver.get(server.uri().resolve("/view/").toString());
    waitForRow("dot.png");

    // Enter on an image: an <img> of the file's URL, decoded by the browser; Esc closes it.
    select("dot.png");
    driver.findElement(By.id("scroller")).sendKeys(Keys.ENTER);
    waitFor(() -> driver.findElement(By.id("preview")).isDisplayed());
    waitFor(() -> ((Number) js("return document.getElementById('preview-img').naturalWidth"))
        .intValue() == 3);
    assertEquals("dot.png", driver.findElement(By.id("preview-name")).getText());
    driver.switchTo().activeElement().sendKeys(Keys.ESCAPE);
    waitFor(() -> !driver.findElement(By.id("preview")).isDisplayed());

    // A double-click on HTML: its markup shown as text, never rendered; Close closes it.
    WebElement page = row("page.html").findElement(By.className("c-size"));
    new Actions(driver).doubleClick(page).perform();
    WebElement text = driver.findElement(By.id("preview-text"));
    waitFor(() -> text.isDisplayed() && text.getText().equals(PAGE.strip()));
    assertTrue(driver.findElements(By.cssSelector("#preview b")).isEmpty());
    click("preview-close");
    waitFor(() -> !driver.findElement(By.id("preview")).isDisplayed());

    // The Preview button on a large text file: its first 64 KiB, and the label says so.
    select("big.log");
    click("show-preview");
    waitFor(() -> driver.findElement(By.id("preview-label")).getText()
        .equals("first 64 KiB of 97.7 KiB"));
    assertEquals(65536L, js("return document.getElementById('preview-text').textContent.length"));
    click("preview-close");
    waitFor(() -> !driver.findElement(By.id("preview")).isDisplayed());

    // Properties: the dead ones set over WebDAV before are listed with the live ones.
    assertEquals(207, send("PROPPATCH", "/view/page.html", PATCH).statusCode());
    select("page.html");
    click("show-props");
    waitFor(() -> property("urn:x-test:", "color").equals("blue & <green>"));
    assertEquals("ruby", property("urn:x-test:", "shape"));
    assertEquals(String.valueOf(PAGE.length()), property("DAV:", "getcontentlength"));
    assertTrue(driver.findElements(By.cssSelector("#props-rows tr.live .prop-remove")).isEmpty());
    // One added in the page, read back over WebDAV; another removed.
    driver.findElement(By.id("prop-ns")).sendKeys("urn:x-ui:");
    driver.findElement(By.id("prop-name")).sendKeys("note");
    driver.findElement(By.id("prop-value")).sendKeys(NOTE, Keys.ENTER);
    waitFor(() -> property("urn:x-ui:", "note").equals(NOTE));
    assertEquals(NOTE, deadProperty("/view/page.html", "urn:x-ui:", "note"));
    propertyRow("urn:x-test:", "shape").findElement(By.className("prop-remove")).click();
    waitFor(() -> driver.findElements(By.cssSelector("#props-rows tr[data-name=shape]")).isEmpty());
    assertEquals(null, deadProperty("/view/page.html", "urn:x-test:", "shape"));
    assertEquals("blue & <green>", deadProperty("/view/page.html", "urn:x-test:", "color"));
    // A name XML cannot carry is refused in the page; nothing is sent.
    driver.findElement(By.id("prop-name")).sendKeys("two words", Keys.ENTER);
    waitFor(() -> driver.findElement(By.id("props-problem")).getText().startsWith("a name is"));
    driver.switchTo().activeElement().sendKeys(Keys.ESCAPE);
    waitFor(() -> !driver.findElement(By.id("props")).isDisplayed());

    // A lock taken over WebDAV, broken from the page (with no users every client is an
    // administrator): then a PUT without its token works.
    HttpResponse<String> lock = send("LOCK", "/view/big.log", LOCK_BODY, "Depth", "0");
    assertEquals(200, lock.statusCode(), lock.body());
    assertEquals(423, send("PUT", "/view/big.log", "mine").statusCode());
    driver.navigate().refresh();
    waitFor(() -> !row("big.log").findElements(By.cssSelector("svg.lock")).isEmpty());
    select("big.log");
    cancel("break-lock");
    assertEquals(423, send("PUT", "/view/big.log", "mine").statusCode());
    click("break-lock");
    answer(null);
    waitFor(() -> driver.findElement(By.id("message")).getText().equals("Broke the lock on big.log"));
    waitFor(() -> row("big.log").findElements(By.cssSelector("svg.lock")).isEmpty());
    assertTrue(driver.findElement(By.id("break-lock")).getAttribute("disabled") != null);
    assertEquals(204, send("PUT", "/view/big.log", "mine").statusCode());
    assertEquals(4, length("/view/big.log"));
  }

  /** The row of a property in the Properties panel. */
  private WebElement propertyRow(String ns, String name) {
    for (WebElement tr : driver.findElements(By.cssSelector("#props-rows tr"))) {
      if (ns.equals(tr.getAttribute("data-ns")) && name.equals(tr.getAttribute("data-name"))) {
        return tr;
      }
    }
    throw new AssertionError("no property " + ns + " " + name);
  }

  /** A property's value as the Properties panel shows it. */
  private String property(String ns, String name) {
    return propertyRow(ns, name).findElement(By.className("value")).getText();
  }

  private void scenario() throws Exception {
    // Browse: the root, then into the folder with the awkward name by its link.
    driver.get(server.uri().toString());
    waitForRow(FOLDER);
    open(FOLDER);
    waitForRow(AWKWARD);
    assertEquals("8 B", cell(AWKWARD, "c-size"));
    assertTrue(driver.getCurrentUrl().endsWith(enc("/" + FOLDER + "/")), driver.getCurrentUrl());
    assertEquals(List.of("Home", FOLDER), crumbs());

    // A new folder, then two files and a folder uploaded through the pickers.
    click("new-folder");
    answer("sub");
    waitForRow("sub");
    click("new-folder");
    answer("sub");
    waitFor(() -> driver.findElement(By.id("message")).getText().startsWith("Cannot create sub: 405"));
    Path one = Files.write(files.resolve("one.bin"), new byte[1536]);
    Path two = Files.writeString(files.resolve("two — ü.txt"), "0123456789");
    Path dir = Files.createDirectories(files.resolve("up-dir").resolve("deeper"));
    Files.writeString(dir.getParent().resolve("inner.txt"), "inner");
    Files.writeString(dir.resolve("x.txt"), "xx");
    pick("pick-files", one + "\n" + two);
    waitForRow("one.bin");
    waitForRow("two — ü.txt");
    waitFor(() -> cell("one.bin", "c-size").equals("1.5 KiB"));
    assertEquals("10 B", cell("two — ü.txt", "c-size"));
    pick("pick-folder", dir.getParent().toString());
    waitForRow("up-dir");
    waitFor(() -> driver.findElements(By.cssSelector("#tasks li.ok")).size() >= 4);
    assertEquals(1536, length("/" + FOLDER + "/one.bin"));
    assertEquals(10, length("/" + FOLDER + "/two — ü.txt"));
    assertEquals(5, length("/" + FOLDER + "/up-dir/inner.txt"));
    assertEquals(2, length("/" + FOLDER + "/up-dir/deeper/x.txt"));
    shot("folder");

    // Drag and drop: a drop event carrying a file, as the page gets one from the desktop.
    ((JavascriptExecutor) driver).executeScript(
        "const dt = new DataTransfer();"
            + "dt.items.add(new File(['dropped!'], 'dropped <1>.txt', {type: 'text/plain'}));"
            + "for (const type of ['dragenter', 'dragover', 'drop']) {"
            + "  document.getElementById('scroller').dispatchEvent("
            + "    new DragEvent(type, {bubbles: true, cancelable: true, dataTransfer: dt}));"
            + "}");
    waitForRow("dropped <1>.txt");
    waitFor(() -> driver.findElement(By.id("drop")).getAttribute("hidden") != null);
    assertEquals(8, length("/" + FOLDER + "/dropped <1>.txt"));
    assertEquals(204, send("DELETE", "/" + FOLDER + "/dropped <1>.txt", null).statusCode());
    driver.navigate().refresh();
    waitFor(() -> !names().contains("dropped <1>.txt") && names().contains("sub"));

    // Sort by size (twice: descending; folders stay first), filter by name, arrow keys.
    driver.findElement(By.cssSelector("button[data-sort=size]")).click();
    driver.findElement(By.cssSelector("button[data-sort=size]")).click();
    waitFor(() -> names().equals(List.of("up-dir", "sub", "one.bin", "two — ü.txt", AWKWARD)));
    WebElement filter = driver.findElement(By.id("filter"));
    filter.sendKeys("Ü.T");
    waitFor(() -> names().equals(List.of("two — ü.txt")));
    filter.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
    waitFor(() -> names().size() == 5);
    select("sub");
    driver.findElement(By.id("scroller")).sendKeys(Keys.ARROW_DOWN);
    waitFor(() -> "true".equals(row("one.bin").getAttribute("aria-selected"))
        && "false".equals(row("sub").getAttribute("aria-selected")));
    driver.findElement(By.cssSelector("button[data-sort=name]")).click();

    // Rename (MOVE in place) and move into a folder.
    String renamed = "renamed ü'#%.bin";
    select("one.bin");
    click("rename");
    answer(renamed);
    waitForRow(renamed);
    assertEquals(1536, length("/" + FOLDER + "/" + renamed));
    assertEquals(404, send("HEAD", "/" + FOLDER + "/one.bin", null).statusCode());
    select("two — ü.txt");
    click("move");
    answer("sub");
    waitFor(() -> !names().contains("two — ü.txt"));
    assertEquals(10, length("/" + FOLDER + "/sub/two — ü.txt"));

    // The keyboard: Enter opens the selected folder, Backspace goes up, Back comes back.
    select("sub");
    driver.findElement(By.id("scroller")).sendKeys(Keys.ENTER);
    waitForRow("two — ü.txt");
    driver.findElement(By.id("scroller")).sendKeys(Keys.BACK_SPACE);
    waitForRow(renamed);
    driver.navigate().back();
    waitForRow("two — ü.txt");

    // A tree COPY with live progress: the copy stops after each range until let go.
    driver.findElement(By.cssSelector("#crumbs a")).click();
    waitForRow("tree");
    stepped.arm();
    select("tree");
    click("copy");
    answer("/copies/");
    double first = waitForProgress(-1);
    shot("progress");
    stepped.step();
    double second = waitForProgress(first);
    assertNotEquals(first, second);
    assertTrue(first > 0 && first < second && second < 1, first + " then " + second);
    stepped.disarm();
    WebElement op = driver.findElement(By.cssSelector("#tasks li.operation"));
    waitFor(() -> op.getText().contains("done: 201"));
    assertEquals(TREE, count("/copies/tree"));

    // The Operations view lists it.
    click("show-ops");
    waitFor(() -> driver.findElement(By.id("ops-rows")).getText().contains("COPY"));
    click("hide-ops");

    // Delete the copy (asynchronously: it is a tree) after the confirmation; cancelled first.
    open("copies");
    waitForRow("tree");
    select("tree");
    cancel("delete");
    assertEquals(TREE, count("/copies/tree"));
    // A member locked (without its token in the request) stays: 207, and the UI names it.
    String locked = "/copies/tree/dir 0/file-10.txt";
    HttpResponse<String> lock = send("LOCK", locked, LOCK_BODY, "Depth", "0");
    assertEquals(200, lock.statusCode(), lock.body());
    click("delete");
    answer(null);
    waitFor(() -> driver.findElement(By.id("tasks")).getText().contains("finished with 207"));
    String failed = driver.findElement(By.cssSelector("#tasks .failed-members")).getText();
    assertTrue(failed.contains(locked + ": 423 locked"), failed);
    assertEquals(200, send("HEAD", locked, null).statusCode());
    assertEquals(404, send("HEAD", "/copies/tree/dir 1/", null).statusCode());
    shot("failed-members");
    assertEquals(204, send("UNLOCK", locked, null, "Lock-Token",
        lock.headers().firstValue("Lock-Token").orElseThrow()).statusCode());
    select("tree");
    click("delete");
    answer(null);
    waitFor(() -> driver.findElement(By.id("tasks")).getText().contains("done: 204"));
    waitFor(() -> !names().contains("tree"));
    assertEquals(404, send("PROPFIND", "/copies/tree/", null, "Depth", "0").statusCode());
    click("clear-tasks");
    waitFor(() -> !driver.findElement(By.id("transfers")).isDisplayed());
    assertEquals(TREE, count("/tree"));
  }

  // ---- The browser.

  private static ChromeDriver chromium() {
    // Both paths are given, so Selenium Manager never looks for (or downloads) either.
    ChromeOptions o = new ChromeOptions();
    o.setBinary(CHROMIUM.toFile());
    o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--window-size=1100,800", "--lang=en");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    ChromeDriver d = new ChromeDriver(service, o);
    d.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    return d;
  }

  private void waitFor(java.util.function.BooleanSupplier condition) {
    new WebDriverWait(driver, Duration.ofSeconds(60)).ignoring(RuntimeException.class)
        .until(d -> condition.getAsBoolean());
  }

  private List<String> names() {
    return driver.findElements(By.cssSelector("#rows tr.entry .c-name a")).stream()
        .map(WebElement::getText).collect(Collectors.toList());
  }

  private List<String> crumbs() {
    return driver.findElements(By.cssSelector("#crumbs a, #crumbs .here")).stream()
        .map(WebElement::getText).collect(Collectors.toList());
  }

  private void waitForRow(String name) {
    try {
      waitFor(() -> names().contains(name));
    } catch (RuntimeException e) {
      fail("no row " + name + " among " + names(), e);
    }
  }

  private WebElement row(String name) {
    for (WebElement tr : driver.findElements(By.cssSelector("#rows tr.entry"))) {
      if (tr.findElement(By.cssSelector(".c-name a")).getText().equals(name)) {
        return tr;
      }
    }
    // A RuntimeException, which waitFor retries: right after a refresh the list is still empty.
    throw new NoSuchElementException("no row " + name + " among " + names());
  }

  /** Follows a folder's link. */
  private void open(String name) {
    waitFor(() -> {
      row(name).findElement(By.cssSelector(".c-name a")).click();
      return true;
    });
  }

  private String cell(String name, String column) {
    return row(name).findElement(By.className(column)).getText();
  }

  /** Selects a row alone (a click on its size cell, not on its link). */
  private void select(String name) {
    // Rows are rendered again as the listing reloads: find the row anew until the click holds.
    waitFor(() -> {
      if (!"true".equals(row(name).getAttribute("aria-selected"))) {
        WebElement size = row(name).findElement(By.className("c-size"));
        // Centred, so that the sticky table head does not take the click.
        ((JavascriptExecutor) driver).executeScript(
            "arguments[0].scrollIntoView({block: 'center'})", size);
        size.click();
      }
      return "true".equals(row(name).getAttribute("aria-selected"));
    });
  }

  private Object js(String script) {
    return ((JavascriptExecutor) driver).executeScript(script);
  }

  private void click(String id) {
    driver.findElement(By.id(id)).click();
  }

  /**
   * Answers the page's dialog: {@code text} typed in and Enter, or OK clicked (a confirmation).
   */
  private void answer(String text) {
    waitFor(() -> driver.findElement(By.id("ask")).isDisplayed());
    if (text != null) {
      WebElement input = driver.findElement(By.id("ask-input"));
      input.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
      input.sendKeys(text, Keys.ENTER);
    } else {
      click("ask-ok");
    }
    waitFor(() -> !driver.findElement(By.id("ask")).isDisplayed());
  }

  /** Opens the dialog with {@code button} and cancels it: nothing is sent. */
  private void cancel(String button) {
    click(button);
    waitFor(() -> driver.findElement(By.id("ask")).isDisplayed());
    click("ask-cancel");
    waitFor(() -> !driver.findElement(By.id("ask")).isDisplayed());
  }

  /** Hands files (or a folder) to a file input, as the picker would. */
  private void pick(String id, String paths) {
    // chromedriver takes files for a hidden file input (strictFileInteractability is off).
    driver.findElement(By.id(id)).sendKeys(paths);
  }

  /** Waits until the operation's bar shows a fraction other than {@code before}; returns it. */
  private double waitForProgress(double before) {
    double[] seen = {-1};
    waitFor(() -> {
      Object p = ((JavascriptExecutor) driver).executeScript(
          "const b = document.querySelector('#tasks li.operation progress');"
              + "return b ? b.position : -1;");
      seen[0] = ((Number) p).doubleValue();
      return seen[0] > 0 && seen[0] != before;
    });
    return seen[0];
  }

  private void shot(String name) throws IOException {
    if (driver == null) {
      return;
    }
    Files.createDirectories(SHOTS);
    File f = driver.getScreenshotAs(OutputType.FILE);
    Files.copy(f.toPath(), SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }

  // ---- The server, over WebDAV.

  /** A path with each segment percent-encoded. */
  private static String enc(String path) {
    List<String> out = new ArrayList<>();
    for (String s : path.split("/", -1)) {
      out.add(URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20"));
    }
    return String.join("/", out);
  }

  private HttpResponse<String> send(String method, String path, String body, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(server.uri().resolve(enc(path)))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A PUT of bytes with a Content-Type; its status. */
  private int put(String path, byte[] body, String type) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(server.uri().resolve(enc(path)))
        .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).header("Content-Type", type).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /** A PNG of {@code width} by {@code height} pixels, as ImageIO writes it. */
  private static byte[] png(int width, int height) throws IOException {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    image.setRGB(1, 1, 0xff0000);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertTrue(ImageIO.write(image, "png", out));
    return out.toByteArray();
  }

  /** A property's text as PROPFIND allprop gives it, or null when it has none. */
  private String deadProperty(String path, String ns, String name) throws Exception {
    HttpResponse<String> r = send("PROPFIND", path, ALLPROP, "Depth", "0");
    assertEquals(207, r.statusCode(), r.body());
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    NodeList found = f.newDocumentBuilder().parse(new InputSource(new StringReader(r.body())))
        .getElementsByTagNameNS(ns, name);
    return found.getLength() == 0 ? null : found.item(0).getTextContent();
  }

  /** The length of a file, by GET. */
  private long length(String path) throws IOException, InterruptedException {
    HttpResponse<String> r = send("GET", path, null);
    assertEquals(200, r.statusCode(), path);
    return r.body().getBytes(StandardCharsets.UTF_8).length;
  }

  /** The resources of a tree, read from the server's store. */
  private long count(String path) {
    return TestServers.store(server).read(tx -> tx.countSubtree(
        tx.resolve(DavPath.parse(path)).orElseThrow().id(), Long.MAX_VALUE));
  }
}
