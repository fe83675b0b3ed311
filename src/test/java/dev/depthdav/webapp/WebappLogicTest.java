package dev.depthdav.webapp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs the browser UI's logic tests ({@code src/test/js/*.test.mjs}, node's own test runner, no
 * npm package) with {@code node --test}. Without node the test fails: it never skips.
 */
class WebappLogicTest {
  @Test
  void nodeTests_allPass() throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder("node", "--test", "src/test/js/")
        .redirectErrorStream(true);
    pb.environment().put("TZ", "UTC"); // formatDate shows local time: make it UTC
    Process p = pb.start(); // no node: IOException, a failure
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "node --test did not finish");
    assertEquals(0, p.exitValue(), "node --test failed:\n" + out);
    assertTrue(out.contains("# fail 0") && !out.contains("# pass 0"), out);
    System.out.println(out.substring(Math.max(0, out.lastIndexOf("# tests"))));
  }

  @Test
  void workingDirectory_isTheProject() {
    assertTrue(Path.of("webapp", "dav.js").toFile().isFile(), "run from the project folder");
  }
}
