package dev.depthdav.depth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthdav.auth.FakeClock;
import dev.depthdav.store.OperationLog.Record;
import dev.depthdav.store.blob.FileBlobStore;
import dev.depthdav.store.mem.MemOperationLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperationJournalTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  @TempDir Path dir;
  final FakeClock clock = new FakeClock();
  final MemOperationLog log = new MemOperationLog(hash -> { });
  WorkerPool pool;
  OperationJournal journal;

  @BeforeEach
  void setUp() throws Exception {
    pool = new WorkerPool(1, 1, clock);
    journal = new OperationJournal(log, new FileBlobStore(dir.resolve("blobs")), pool, "here",
        TIMEOUT, clock);
  }

  @AfterEach
  void tearDown() {
    pool.close();
  }

  @Test
  void tick_runningOperation_writtenOnlyOnceItHasRunASecond_withItsProgress() {
    Operation op = pool.create("PROPFIND", "/", "alice");
    op.running();
    journal.tick();
    assertEquals(Optional.empty(), log.find(op.id()), "a short PROPFIND stays off the log");
    clock.advance(Duration.ofSeconds(1));
    op.advance(5);
    journal.tick();
    Record r = log.find(op.id()).orElseThrow();
    assertEquals("RUNNING", r.state());
    assertEquals(5, r.done());
    assertEquals("here", r.node());
    assertEquals(clock.instant(), r.heartbeat());
  }

  @Test
  void finished_shortSynchronousOperation_neverWritten() {
    Operation op = pool.create("PROPFIND", "/", "alice");
    op.running();
    journal.finished(op, 207, "PROPFIND / -> 207", clock.instant(), null);
    op.finish(207, "PROPFIND / -> 207", clock.instant());
    clock.advance(Duration.ofSeconds(5));
    journal.tick();
    assertEquals(Optional.empty(), log.find(op.id()));
  }

  @Test
  void finished_async_bodyKeptAsABlob_recordDoneBeforeThePoolSaysSo() throws Exception {
    Operation op = pool.create("PROPFIND", "/", "alice");
    journal.submitted(op);
    assertEquals("QUEUED", log.find(op.id()).orElseThrow().state());
    Path body = Files.writeString(dir.resolve("body"), "<multistatus/>");
    clock.advance(Duration.ofSeconds(2));
    journal.finished(op, 207, "PROPFIND / -> 207", clock.instant(),
        new OperationJournal.Captured(207, Map.of("Content-Type", "application/xml"), body));
    Record r = journal.find(op.id()).orElseThrow();
    assertEquals("DONE", r.state());
    assertEquals(207, r.result().status());
    assertEquals(Map.of("Content-Type", "application/xml"), r.result().headers());
    try (java.io.InputStream in = journal.body(r.result().body())) {
      assertEquals("<multistatus/>", new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
    }
    assertTrue(log.names(r.result().body().hash()));
  }

  @Test
  void anotherNodesOperation_unheardPastTheTimeout_isFailedBecauseItsNodeStopped() {
    log.save(new Record("f00d", "alice", "COPY", "/a", clock.instant(), "RUNNING", "copying",
        10, 100, 0, 0, 0, "", null, "there", clock.instant(), null));
    clock.advance(TIMEOUT);
    assertEquals("RUNNING", journal.find("f00d").orElseThrow().state(), "heard just in time");
    clock.advance(Duration.ofSeconds(1));
    Record r = journal.find("f00d").orElseThrow();
    assertEquals("FAILED", r.state());
    assertEquals(OperationJournal.NODE_STOPPED, r.outcome());
    assertEquals(500, r.status());
    assertEquals("FAILED", journal.list().get(0).state());
  }

  @Test
  void retain_finishedRecordsOlderThanThePoolKeepsThem_go() {
    log.save(new Record("0ld", null, "DELETE", "/x", clock.instant(), "DONE", "done", 1, 1, 0,
        0, 204, "DELETE /x -> 204", clock.instant(), "there", clock.instant(), null));
    clock.advance(WorkerPool.KEEP);
    journal.retain();
    assertTrue(log.find("0ld").isPresent(), "kept for an hour");
    clock.advance(Duration.ofSeconds(1));
    journal.retain();
    assertEquals(Optional.empty(), log.find("0ld"));
  }
}
