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

  private static long migrationFiles() throws Exception {
    try (Stream<Path> files = Files.list(Path.of("db", "migration"))) {
      return files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql")).count();
    }
  }
}
