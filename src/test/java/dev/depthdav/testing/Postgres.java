package dev.depthdav.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL cluster from Debian's {@code postgresql} package: {@code initdb} in a
 * temporary folder, started on a free loopback port, trust authentication for one user, deleted
 * when closed. PostgreSQL refuses to run as root, so when the tests run as root (CI) the cluster
 * runs as the package's {@code postgres} user. A missing PostgreSQL fails the test: CI installs
 * it (.ci/run).
 */
public final class Postgres implements AutoCloseable {
  private static final String USER = "dav";
  private final Path dir;
  private final Path bin;
  private final int port;

  private Postgres(Path dir, Path bin, int port) {
    this.dir = dir;
    this.bin = bin;
    this.port = port;
  }

  private static Postgres shared;
  private static int databases;

  /**
   * The cluster the tests of this JVM share (each takes databases of its own with
   * {@link #freshDatabase}), started on first use and stopped when the JVM exits.
   */
  public static synchronized Postgres shared() throws IOException, InterruptedException {
    if (shared == null) {
      Postgres pg = start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          pg.close();
        } catch (IOException | InterruptedException e) {
          // the JVM is going; the temporary folder stays
        }
      }, "postgres-stop"));
      shared = pg;
    }
    return shared;
  }

  /** A new, empty database of the shared cluster; its JDBC URL. */
  public static String freshDatabase() throws Exception {
    Postgres pg = shared();
    synchronized (Postgres.class) {
      return pg.createDatabase("t" + databases++);
    }
  }

  /** Creates and starts a cluster; returns once it accepts connections. */
  public static Postgres start() throws IOException, InterruptedException {
    Path bin = binaries();
    Path dir = Files.createTempDirectory("depthdav-pg");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Postgres pg = new Postgres(dir, bin, port);
    if (root()) {
      run(List.of("chown", "postgres", dir.toString()));
    }
    pg.as(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-A", "trust",
        "-U", USER, "--no-sync");
    pg.startServer();
    return pg;
  }

  /** The JDBC URL of the cluster's default database. */
  public String url() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
  }

  public String user() {
    return USER;
  }

  /** Creates an empty database; returns its JDBC URL. */
  public String createDatabase(String name) throws java.sql.SQLException {
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(url(), USER, "");
        java.sql.Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + name;
  }

  /** Stops the database server, keeping its files (as a crash or a maintenance stop would). */
  public void stopServer() throws IOException, InterruptedException {
    as(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-w", "-m",
        "immediate", "stop");
  }

  /** Starts the database server again on the same port and files. */
  public void startServer() throws IOException, InterruptedException {
    as(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-w", "-o",
        "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off", "-l",
        dir.resolve("log").toString(), "start");
  }

  @Override
  public void close() throws IOException, InterruptedException {
    try {
      as(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-w", "-m",
          "fast", "stop");
    } finally {
      try (Stream<Path> all = Files.walk(dir)) {
        for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  /** The newest installed PostgreSQL's binaries (Debian keeps them per major version). */
  private static Path binaries() throws IOException {
    Path lib = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(lib)) {
      throw new IOException("PostgreSQL is not installed (apt-get install postgresql)");
    }
    try (Stream<Path> versions = Files.list(lib)) {
      return versions.map(v -> v.resolve("bin")).filter(b -> Files.exists(b.resolve("initdb")))
          .max(Comparator.comparing(b -> Integer.parseInt(b.getParent().getFileName()
              .toString())))
          .orElseThrow(() -> new IOException("no initdb under " + lib));
    }
  }

  private static boolean root() {
    return "root".equals(System.getProperty("user.name"));
  }

  private void as(String... cmd) throws IOException, InterruptedException {
    List<String> full = new ArrayList<>();
    if (root()) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.addAll(List.of(cmd));
    run(full);
  }

  private static void run(List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", cmd) + " failed:\n" + out);
    }
  }
}
