package dev.depthdav.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthdav.store.OperationLog.Result;
import dev.depthdav.store.jdbc.JdbcCheck;
import dev.depthdav.store.jdbc.JdbcStore;
import dev.depthdav.testing.Postgres;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The operation log contract on the table of a shared PostgreSQL database, and the life of a
 * result's blob there: kept by the orphan sweep and by check while its record is, freed after.
 */
class PostgresOperationLogTest extends OperationLogContract {
  /** No grace: an unnamed blob goes at once, so that only the record can be what keeps it. */
  private static final StoreSettings NO_GRACE =
      new StoreSettings(true, Duration.ZERO, StoreSettings.DEFAULTS.minFreeBytes());
  private JdbcStore store;

  @Override
  OperationLog open(Path dir) throws Exception {
    store = JdbcStore.openPostgres(Postgres.freshDatabase(), Postgres.shared().user(), "",
        dir.resolve("blobs"), NO_GRACE, false);
    return store.operations();
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void resultBlob_keptBySweepAndCheck_whileItsRecordIs_freedWhenItGoes() throws Exception {
    Blob body;
    try (BlobStore.Pending p = store.blobs().write(new ByteArrayInputStream(
        "<D:multistatus/>".getBytes(StandardCharsets.UTF_8)), -1)) {
      body = p.blob();
      log.save(finished("r1", T0, T0, new Result(207, Map.of(), body)));
      p.stored();
    }
    Path file = store.blobs().localPath(body.hash()).orElseThrow();
    Instant later = Instant.now().plus(Duration.ofHours(2));
    assertEquals(List.of(), JdbcCheck.run(store, Duration.ZERO, later).problems());
    assertEquals(0, JdbcCheck.repair(store, Duration.ZERO, later), "the record names it");
    assertTrue(Files.exists(file));
    Files.delete(file);
    assertEquals(List.of("blob " + body.hash() + " is missing"),
        JdbcCheck.run(store, Duration.ZERO, later).problems());
    Files.writeString(file, "<D:multistatus/>");
    assertEquals(1, log.forget(T0.plusSeconds(1), 0, 10));
    assertFalse(Files.exists(file), "freed with its record");
  }
}
