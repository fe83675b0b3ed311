package dev.depthdav.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.depthdav.testing.Postgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * The one Flyway history runs on PostgreSQL as it does on H2: every migration in db/migration
 * applies to an empty cluster, and leaves the rows the store starts from (the root, the trash
 * and the staging collection).
 */
class PostgresMigrationsTest {

  @Test
  void everyMigration_appliesOnPostgres_andLeavesTheTopRows() throws Exception {
    String url = Postgres.freshDatabase();
    String user = Postgres.shared().user();
    Flyway flyway = Flyway.configure().dataSource(url, user, "")
        .locations("classpath:db/migration").load();
    int applied = flyway.migrate().migrationsExecuted;
    assertEquals(migrationFiles(), applied);
    try (Connection c = DriverManager.getConnection(url, user, "");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id, name FROM node ORDER BY id")) {
      List<String> rows = new ArrayList<>();
      while (rs.next()) {
        rows.add(rs.getLong(1) + " " + rs.getString(2));
      }
      assertEquals(List.of("-1 #staging", "1 ", "2 #trash"), rows);
    }
    assertEquals(0, flyway.migrate().migrationsExecuted, "a second start migrates nothing");
  }

  /**
   * Nodes of one deployment started at the same moment on an empty database (docs/DEPLOY.md,
   * rolling upgrades): Flyway's lock on the history lets one of them migrate, the others wait and
   * find the schema current; every node opens, and each migration ran once.
   */
  @Test
  void nodesStartingTogether_eachMigrationRunsOnce_everyNodeOpens() throws Exception {
    String url = Postgres.freshDatabase();
    String user = Postgres.shared().user();
    Path blobs = Files.createTempDirectory("depthdav-blobs");
    int nodes = 4;
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(nodes);
    java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
    List<java.util.concurrent.Future<JdbcStore>> opened = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      opened.add(pool.submit(() -> {
        go.await();
        return JdbcStore.openPostgres(url, user, "", blobs,
            dev.depthdav.store.StoreSettings.DEFAULTS, false);
      }));
    }
    go.countDown();
    List<JdbcStore> stores = new ArrayList<>();
    List<Exception> failures = new ArrayList<>();
    for (java.util.concurrent.Future<JdbcStore> f : opened) {
      try {
        stores.add(f.get(120, java.util.concurrent.TimeUnit.SECONDS));
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        failures.add(e);
      }
    }
    stores.forEach(JdbcStore::close);
    pool.shutdownNow();
    assertEquals(List.of(), failures, "nodes that did not open");
    assertEquals(nodes, stores.size());
    try (Connection c = DriverManager.getConnection(url, user, "");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT version, COUNT(*), MIN(CASE WHEN success THEN 1 "
            + "ELSE 0 END) FROM flyway_schema_history WHERE version IS NOT NULL "
            + "GROUP BY version")) {
      int versions = 0;
      while (rs.next()) {
        versions++;
        assertEquals(1, rs.getInt(2), "migration " + rs.getString(1) + " ran more than once");
        assertEquals(1, rs.getInt(3), "migration " + rs.getString(1) + " failed");
      }
      assertEquals(migrationFiles(), versions);
    }
  }

  private static long migrationFiles() throws Exception {
    try (Stream<Path> files = Files.list(Path.of("db", "migration"))) {
      return files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql")).count();
    }
  }
}
