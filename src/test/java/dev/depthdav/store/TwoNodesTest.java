package dev.depthdav.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthdav.store.jdbc.JdbcStore;
import dev.depthdav.testing.Postgres;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two stores on one PostgreSQL database, as two nodes would have: each with its own pool and its
 * own in-process lock, so only the database keeps their writes apart.
 */
class TwoNodesTest {
  private static final Instant T0 = Instant.parse("2026-12-31T23:59:59Z");
  @TempDir Path dir;
  JdbcStore a;
  JdbcStore b;
  ExecutorService threads = Executors.newFixedThreadPool(2);

  String url;
  String user;

  @BeforeEach
  void open() throws Exception {
    url = Postgres.freshDatabase();
    user = Postgres.shared().user();
    a = JdbcStore.openPostgres(url, user, "", dir.resolve("blobs"), StoreSettings.DEFAULTS, true);
    b = JdbcStore.openPostgres(url, user, "", dir.resolve("blobs"), StoreSettings.DEFAULTS, true);
  }

  @AfterEach
  void close() {
    threads.shutdownNow();
    a.close();
    b.close();
  }

  @Test
  void ids_neverHandedOutTwice_acrossNodesAndPurges() {
    Node first = a.write(tx -> tx.createCollection(tx.root().id(), "x", T0));
    a.write(tx -> {
      tx.detach(first.id());
      return null;
    });
    a.purgeNow();
    assertTrue(a.read(tx -> tx.get(first.id())).isEmpty(), "purged");
    Node next = b.write(tx -> tx.createCollection(tx.root().id(), "y", T0));
    assertTrue(next.id() > first.id(), next.id() + " after " + first.id());
  }

  /**
   * Content written by one node and not yet named by a committed row (its pin is in that node)
   * survives the other node releasing the same content: in a shared folder a blob goes only once
   * unwritten for the grace period, and writing existing content touches it.
   */
  @Test
  void sharedBlobs_uploadInFlightOnOneNode_survivesAReleaseOnTheOther() throws Exception {
    byte[] x = "content x".getBytes(StandardCharsets.UTF_8);
    Blob bx;
    Node f;
    try (BlobStore.Pending p = a.blobs().write(new ByteArrayInputStream(x), -1)) {
      bx = p.blob();
      f = a.write(tx -> tx.createFile(tx.root().id(), "f", p.blob(), null, T0));
      p.stored();
    }
    Path file = a.blobs().localPath(bx.hash()).orElseThrow();
    // written long ago, as far as the file system says
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(Duration.ofDays(1))));
    try (BlobStore.Pending inFlight = b.blobs().write(new ByteArrayInputStream(x), -1)) {
      try (BlobStore.Pending y = a.blobs().write(new ByteArrayInputStream(new byte[] {'y'}), -1)) {
        a.write(tx -> tx.replaceContent(f.id(), y.blob(), null, T0)); // x is no longer named
        y.stored();
      }
      a.purgeNow();
      assertTrue(Files.exists(file), "b's upload of the same content is in flight");
      b.write(tx -> tx.createFile(tx.root().id(), "g", inFlight.blob(), null, T0));
      inFlight.stored();
    }
    assertEquals("content x", Files.readString(file));
  }

  @Test
  void purging_oneNodeAtATime_theOtherTakesOverWhenItGoes() {
    boolean aLeads = a.leadsPurging();
    boolean bLeads = b.leadsPurging();
    assertTrue(aLeads ^ bLeads, "exactly one purges: " + aLeads + ", " + bLeads);
    JdbcStore leader = aLeads ? a : b;
    JdbcStore other = aLeads ? b : a;
    assertTrue(leader.leadsPurging(), "it keeps its lease");
    leader.close();
    assertTrue(other.leadsPurging(), "the lease went with the leader's session");
    if (leader == a) {
      a = JdbcStore.openPostgres(url, user, "", dir.resolve("blobs"), StoreSettings.DEFAULTS,
          true);
    } else {
      b = JdbcStore.openPostgres(url, user, "", dir.resolve("blobs"), StoreSettings.DEFAULTS,
          true);
    }
  }

  @Test
  void concurrentWrites_onBothNodes_allLand() throws Exception {
    Future<?> fa = threads.submit(() -> create(a, "a", 100));
    Future<?> fb = threads.submit(() -> create(b, "b", 100));
    fa.get();
    fb.get();
    Set<Long> ids = new HashSet<>();
    a.read(tx -> {
      tx.forEachChild(tx.root().id(), n -> ids.add(n.id()));
      return null;
    });
    assertEquals(200, ids.size());
  }

  private static void create(JdbcStore s, String prefix, int n) {
    for (int i = 0; i < n; i++) {
      String name = prefix + i;
      s.write(tx -> tx.createCollection(tx.root().id(), name, T0));
    }
  }

  /**
   * MOVE /p → /q/x on one node and MOVE /q → /p/y on the other, started together, many times:
   * each checks in its write that its destination is not under its source (as CopyMoveMethod
   * does), so one wins and the other is refused, and no cycle is ever made.
   */
  @Test
  void crossedMoves_onTwoNodes_oneWins_neverACycle() throws Exception {
    int bothRefused = 0;
    for (int round = 0; round < 25; round++) {
      String p = "p" + round;
      String q = "q" + round;
      a.write(tx -> tx.createCollection(tx.root().id(), p, T0));
      a.write(tx -> tx.createCollection(tx.root().id(), q, T0));
      CountDownLatch go = new CountDownLatch(1);
      Future<Boolean> ab = threads.submit(() -> {
        go.await();
        return move(a, "/" + p, "/" + q + "/x");
      });
      Future<Boolean> ba = threads.submit(() -> {
        go.await();
        return move(b, "/" + q, "/" + p + "/y");
      });
      go.countDown();
      boolean one = ab.get();
      boolean two = ba.get();
      assertTrue(one ^ two, "round " + round + ": exactly one move wins (" + one + ", " + two
          + ")");
      bothRefused += one || two ? 0 : 1;
      assertNoCycle(a);
    }
    assertEquals(0, bothRefused);
  }

  /** The move if the destination's parent exists and is not under the source; false if not. */
  private static boolean move(JdbcStore s, String from, String to) {
    DavPath src = DavPath.parse(from);
    DavPath dest = DavPath.parse(to);
    return s.write(tx -> {
      Optional<Node> node = tx.resolve(src);
      Optional<Node> parent = tx.resolve(dest.parent());
      if (node.isEmpty() || parent.isEmpty() || under(tx, parent.get(), node.get().id())) {
        return false;
      }
      tx.move(node.get().id(), parent.get().id(), dest.name(), T0);
      return true;
    });
  }

  /** Whether {@code n} is {@code ancestor} or below it, following parents in the transaction. */
  private static boolean under(Tx tx, Node n, long ancestor) {
    for (Node at = n; at.id() != tx.root().id(); at = tx.get(at.parentId()).orElseThrow()) {
      if (at.id() == ancestor) {
        return true;
      }
    }
    return false;
  }

  /** Every collection reaches the root by its parents. */
  private static void assertNoCycle(JdbcStore s) {
    s.read(tx -> {
      List<Node> all = new ArrayList<>();
      tx.forEachChild(tx.root().id(), all::add);
      for (int i = 0; i < all.size(); i++) {
        tx.forEachChild(all.get(i).id(), all::add);
        assertTrue(all.size() < 10_000, "a cycle: the walk does not end");
      }
      return null;
    });
  }
}
