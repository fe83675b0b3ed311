package dev.depthdav.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthdav.store.Blob;
import dev.depthdav.store.BlobStore;
import dev.depthdav.store.DavPath;
import dev.depthdav.store.Node;
import dev.depthdav.store.QName;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The copy by ranges of ids: every row and property arrives whatever the range boundaries. */
class TreeCopyTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final QName P = new QName("urn:z", "p");

  @TempDir Path dir;
  private JdbcStore store;

  @BeforeEach
  void open() {
    store = JdbcStore.open(dir.resolve("data"));
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void smallChunks_copyEveryRowAndProperty_andReportEachRange() throws IOException {
    Blob b = blob((byte) 1);
    Node s = store.write(tx -> {
      Node top = tx.createCollection(tx.root().id(), "s", T0);
      for (int d = 0; d < 3; d++) {
        Node dir = tx.createCollection(top.id(), "d" + d, T0);
        for (int f = 0; f < 4; f++) {
          Node file = tx.createFile(dir.id(), "f" + f, b, null, T0);
          tx.setProperty(file.id(), P, "<z:p xmlns:z=\"urn:z\">" + d + f + "</z:p>");
        }
      }
      return top;
    });
    List<Long> ranges = new ArrayList<>();
    Node c = store.write(tx -> ((JdbcTx) tx).copy(s.id(), tx.root().id(), "c", true, T0,
        ranges::add, 4));
    assertEquals(16, ranges.stream().mapToLong(Long::longValue).sum());
    assertTrue(ranges.size() >= 4, "16 rows in ranges of 4 ids come in 4 or more parts: " + ranges);
    assertEquals(tree("/s"), tree("/c"));
    assertEquals(Map.of(P, "<z:p xmlns:z=\"urn:z\">23</z:p>"),
        store.read(tx -> tx.properties(tx.resolve(DavPath.parse("/c/d2/f3")).orElseThrow().id())));
    assertTrue(c.id() > s.id());
  }

  /**
   * A deep copy that fails between ranges leaves its session's {@code copy_ids} behind (its
   * CREATE committed); copies that reuse that pooled session afterwards gather only their own
   * subtree. More copies than the pool has sessions, so that the one left behind is reused.
   */
  @Test
  void aCopyFailingBetweenRanges_leavesNothingThatLaterCopiesGather() throws IOException {
    Blob b = blob((byte) 2);
    Node big = store.write(tx -> {
      Node top = tx.createCollection(tx.root().id(), "big", T0);
      for (int f = 0; f < 20; f++) {
        tx.createFile(top.id(), "f" + f, b, null, T0);
      }
      return top;
    });
    Node small = store.write(tx -> {
      Node top = tx.createCollection(tx.root().id(), "small", T0);
      tx.createFile(tx.createCollection(top.id(), "d", T0).id(), "only", b, null, T0);
      return top;
    });
    RuntimeException failure = new IllegalStateException("failed between ranges");
    RuntimeException thrown = org.junit.jupiter.api.Assertions.assertThrows(
        RuntimeException.class, () -> store.write(tx -> ((JdbcTx) tx).copy(big.id(),
            tx.root().id(), "broken", true, T0, n -> {
              throw failure;
            }, 4)));
    assertTrue(thrown == failure || thrown.getCause() == failure, thrown.toString());
    for (int i = 0; i < 40; i++) {
      String name = "c" + i;
      long[] copied = {0};
      store.write(tx -> ((JdbcTx) tx).copy(small.id(), tx.root().id(), name, true, T0,
          n -> copied[0] += n, 4));
      assertEquals(3, copied[0], "rows copied by copy " + i);
      assertEquals(tree("/small"), tree("/" + name));
    }
    assertTrue(store.read(tx -> tx.resolve(dev.depthdav.store.DavPath.parse("/broken")))
        .isEmpty());
  }

  /** A stored one-byte blob (its pin released at once: the rows naming it commit later). */
  private Blob blob(byte content) throws IOException {
    try (BlobStore.Pending p = store.blobs().write(new ByteArrayInputStream(new byte[] {content}),
        -1)) {
      return p.blob();
    }
  }

  /** Paths below {@code root}, relative to it, with each file's property. */
  private TreeSet<String> tree(String root) {
    TreeSet<String> out = new TreeSet<>();
    store.read(tx -> {
      Node top = tx.resolve(DavPath.parse(root)).orElseThrow();
      tx.forEachChild(top.id(), d -> {
        out.add(d.name());
        tx.forEachChild(d.id(), f -> out.add(d.name() + "/" + f.name() + "="
            + tx.property(f.id(), P).orElse("")));
      });
      return null;
    });
    return out;
  }
}
