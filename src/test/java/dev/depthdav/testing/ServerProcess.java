package dev.depthdav.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The server in a JVM of its own (the test class path, {@code Main}), so that a test can kill it
 * with SIGKILL as a crash would, then start another on the same data folder.
 */
public final class ServerProcess implements AutoCloseable {
  /** The newest lines the server printed (its log and access log), at most this many. */
  private static final int KEPT = 10_000;
  private final Process process;
  private final URI uri;
  private final java.util.Deque<String> lines = new java.util.ArrayDeque<>();

  private ServerProcess(Process process, URI uri) {
    this.process = process;
    this.uri = uri;
  }

  /** The newest lines of the server's output (the access log included). */
  public synchronized List<String> output() {
    return List.copyOf(lines);
  }

  private synchronized void keep(String line) {
    lines.addLast(line);
    if (lines.size() > KEPT) {
      lines.removeFirst();
    }
  }

  /** Starts on an ephemeral loopback port and waits for the start-up line. */
  public static ServerProcess start(Path data, String... flags) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
        // the database file is compacted whenever it is sparse, so that kills land mid-compaction
        // (-Dledger.compactAboveBytes sets another threshold, to run without compaction)
        "-Ddepthdav.compactAboveBytes=" + System.getProperty("ledger.compactAboveBytes", "0"),
        "-cp",
        System.getProperty("java.class.path"), "dev.depthdav.server.Main", "--port", "0",
        "--bind", "127.0.0.1", "--data", data.toString()));
    String retention = System.getProperty("ledger.retentionMs");
    if (retention != null) { // how soon compaction may write over a dead chunk (H2Engine)
      cmd.add(1, "-Ddepthdav.retentionMs=" + retention);
    }
    cmd.addAll(List.of(flags));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
        StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    for (String line; (line = out.readLine()) != null; ) {
      seen.append(line).append('\n');
      int at = line.indexOf("depthdav serving ");
      if (at >= 0) {
        URI uri = URI.create(line.substring(at + 17, line.indexOf(" from ")));
        ServerProcess server = new ServerProcess(p, uri);
        Thread drain = new Thread(() -> server.drain(out), "server-output");
        drain.setDaemon(true);
        drain.start();
        return server;
      }
    }
    p.destroyForcibly();
    throw new IOException("the server did not start:\n" + seen);
  }

  private void drain(BufferedReader out) {
    try {
      // The access log is read so the server never blocks on a full pipe; its errors are shown
      // in the test's output, so that a failure there can be read after the run.
      for (String line; (line = out.readLine()) != null; ) {
        keep(line);
        if (line.contains(" ERROR ") || line.startsWith("Caused by")
            || line.contains("Exception:")) {
          System.out.println("server: " + line);
        }
      }
    } catch (IOException e) {
      // the process is gone
    }
  }

  public URI uri() {
    return uri;
  }

  /** SIGKILL, as a crash or the OOM killer would: no shutdown hook runs. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the server survived SIGKILL");
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        kill();
      }
    }
  }
}
