package dev.depthdav.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthdav.store.OperationLog.Record;
import dev.depthdav.store.OperationLog.Result;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What every {@link OperationLog} guarantees; run against each implementation. */
abstract class OperationLogContract {
  /** A leap day, one second before the end of the month and of a minute. */
  static final Instant T0 = Instant.parse("2024-02-29T23:59:59Z");
  @TempDir Path dir;
  OperationLog log;

  abstract OperationLog open(Path dir) throws Exception;

  @BeforeEach
  void setUp() throws Exception {
    log = open(dir);
  }

  static Record running(String id, Instant submitted, Instant heartbeat) {
    return new Record(id, "alice", "COPY", "/a b/ü", submitted, "RUNNING", "copying", 3, 10,
        0, 1, 0, "", null, "node-1", heartbeat, null);
  }

  static Record finished(String id, Instant submitted, Instant at, Result result) {
    return new Record(id, null, "PROPFIND", "/", submitted, "DONE", "done", 10, 10, 512, 0,
        207, "PROPFIND / -> 207", at, "node-1", at, result);
  }

  @Test
  void save_thenFind_sameRecord_andSaveReplacesItWhole() {
    Record r = running("a1", T0, T0);
    log.save(r);
    assertEquals(Optional.of(r), log.find("a1"));
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/xml; charset=utf-8");
    headers.put("ETag", "\"x\"");
    Record end = finished("a1", T0, T0.plusSeconds(2), new Result(207, headers,
        new Blob("ab".repeat(32), 512)));
    log.save(end);
    assertEquals(Optional.of(end), log.find("a1"));
    assertEquals(Optional.empty(), log.find("b2"));
  }

  @Test
  void save_resultWithoutBody_keepsStatusAndHeaders() {
    Record end = finished("c3", T0, T0, new Result(201, Map.of("Location", "/x"), null));
    log.save(end);
    assertEquals(Optional.of(end), log.find("c3"));
  }

  @Test
  void list_newestSubmittedFirst_atMostMax() {
    for (int i = 0; i < 5; i++) {
      log.save(running("r" + i, T0.plusSeconds(i), T0.plusSeconds(i)));
    }
    assertEquals(List.of("r4", "r3", "r2"), log.list(3).stream().map(Record::id).toList());
  }

  @Test
  void forget_oldFinished_unheardRunning_andPastKeep_goTheRestStays() {
    Instant cutoff = T0.plus(Duration.ofHours(1));
    log.save(finished("old", T0, T0, null));
    log.save(running("unheard", T0, T0));
    log.save(running("alive", T0, cutoff.plusSeconds(1)));
    for (int i = 1; i <= 3; i++) {
      log.save(finished("new" + i, T0, cutoff.plusSeconds(i), null));
    }
    assertEquals(3, log.forget(cutoff, 2, 100));
    assertEquals(List.of("alive", "new2", "new3"),
        log.list(10).stream().map(Record::id).sorted().toList());
    assertEquals(0, log.forget(cutoff, 2, 100));
  }

  @Test
  void forget_atMostMaxInOneCall() {
    for (int i = 0; i < 5; i++) {
      log.save(finished("f" + i, T0, T0, null));
    }
    assertEquals(2, log.forget(T0.plusSeconds(1), 100, 2));
    assertEquals(3, log.list(10).size());
  }

  @Test
  void names_theResultBlob_whileTheRecordIsKept() {
    String hash = "cd".repeat(32);
    log.save(finished("n1", T0, T0, new Result(207, Map.of(), new Blob(hash, 3))));
    assertTrue(log.names(hash));
    assertFalse(log.names("ef".repeat(32)));
    log.forget(T0.plusSeconds(1), 0, 10);
    assertFalse(log.names(hash));
  }
}
