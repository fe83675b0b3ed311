package dev.depthdav.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthdav.store.Blob;
import dev.depthdav.store.BlobStore;
import dev.depthdav.store.DavPath;
import dev.depthdav.store.Node;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The numbered content rows of V9__blob_order.sql: a {@code blob} row exists exactly while some
 * file names its content, every file carries its content's number, copies share it, and the
 * purger's "is this blob still named" follows the numbers, so content is deleted only once the
 * last file naming it, copies included, is gone.
 */
class BlobRowsTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @TempDir Path dir;
  private JdbcStore store;
  private final List<BlobStore.Pending> pins = new ArrayList<>();

  @BeforeEach
  void open() {
    store = JdbcStore.open(dir.resolve("data"));
  }

  @AfterEach
  void close() {
    pins.forEach(BlobStore.Pending::close);
    store.close();
  }

  @Test
  void blobRows_followTheFilesThatNameThem_throughOverwriteCopyAndPurge() throws IOException {
    Blob x = blob("x");
    Blob y = blob("y");
    Node a = mkdir("/a");
    put("/a/one", x);
    put("/a/two", x); // the same content: one row
    put("/c", y);
    assertEquals(java.util.Set.of(x.hash(), y.hash()), rows().keySet());
    assertTrue(rows().get(y.hash()) > rows().get(x.hash()), "numbered in upload order");
    assertConsistent();

    Blob z = blob("z");
    overwrite("/c", z);
    assertFalse(rows().containsKey(y.hash()), "the overwrite dropped y's last reference");
    assertTrue(rows().get(z.hash()) > rows().get(x.hash()));
    assertConsistent();

    store.write(tx -> tx.copy(a.id(), tx.root().id(), "copy", true, T0));
    store.write(tx -> {
      tx.detach(a.id());
      return null;
    });
    releasePins();
    store.purgeNow();
    assertTrue(rows().containsKey(x.hash()), "the copy still names x: " + rows());
    assertTrue(Files.exists(store.blobs().localPath(x.hash()).orElseThrow()),
        "content a copy names survives the purge of the original");
    assertConsistent();

    Node copy = store.read(tx -> tx.resolve(DavPath.parse("/copy")).orElseThrow());
    store.write(tx -> {
      tx.detach(copy.id());
      return null;
    });
    store.purgeNow();
    assertFalse(rows().containsKey(x.hash()), "no file names x any more: " + rows());
    assertFalse(Files.exists(store.blobs().localPath(x.hash()).orElseThrow()));
    assertEquals(List.of(z.hash()), new ArrayList<>(rows().keySet()));
    assertConsistent();
  }

  @Test
  void contentStoredAgainAfterItsRowWent_getsANewNumber_andStaysNamed() throws IOException {
    Blob x = blob("again");
    put("/f", x);
    long first = rows().get(x.hash());
    overwrite("/f", blob("other"));
    assertFalse(rows().containsKey(x.hash()));
    put("/g", x);
    assertTrue(rows().get(x.hash()) > first, "a new number, past every one in use");
    releasePins();
    assertTrue(store.referenced(x.hash()));
    assertConsistent();
  }

  @Test
  void check_reportsAFileWhoseContentHasNoRow_andARowNoFileNames() throws Exception {
    Blob x = blob("x");
    put("/f", x);
    assertConsistent();
    sql("UPDATE blob SET hash = 'f00d' WHERE hash = '" + x.hash() + "'");
    assertEquals(List.of("1 files whose content is not numbered as its blob row says"),
        JdbcCheck.run(store, java.time.Duration.ofDays(1), Instant.now()).problems());
    sql("UPDATE blob SET hash = '" + x.hash() + "', seq = seq + 1000");
    assertEquals(List.of("1 files whose content is not numbered as its blob row says",
        "1 blob rows that no file names"),
        JdbcCheck.run(store, java.time.Duration.ofDays(1), Instant.now()).problems());
  }

  /**
   * A store made before V9 (its schema and history put back as V8 left them; V11 adds a column to
   * the table V9 makes) is numbered when it opens: each content by its oldest row, shared content
   * once, and the check is clean.
   */
  @Test
  void migration_numbersTheContentOfAnOlderStore_byItsOldestRow() throws Exception {
    Blob x = blob("x");
    Blob y = blob("y");
    Node one = put("/one", x);
    put("/two", y);
    Node three = put("/three", x);
    releasePins();
    store.close();
    Path db;
    try (Stream<Path> files = Files.walk(dir.resolve("data"))) {
      db = files.filter(f -> f.getFileName().toString().endsWith(".mv.db")).findFirst()
          .orElseThrow();
    }
    String url = "jdbc:h2:file:" + db.toString().replaceAll("\\.mv\\.db$", "");
    try (Connection c = DriverManager.getConnection(url, "sa", "");
        Statement s = c.createStatement()) {
      s.execute("DROP INDEX node_blob_seq");
      s.execute("ALTER TABLE node DROP COLUMN blob_seq");
      s.execute("DROP TABLE blob");
      s.execute("CREATE INDEX node_blob_hash ON node (blob_hash)");
      s.execute("CREATE TABLE copy_work (op BIGINT NOT NULL, id BIGINT NOT NULL, "
          + "depth INTEGER NOT NULL, PRIMARY KEY (op, id))"); // V10__copy_ids.sql dropped it
      assertEquals(3, s.executeUpdate(
          "DELETE FROM \"flyway_schema_history\" WHERE \"version\" IN ('9', '10', '11')"));
    }
    store = JdbcStore.open(dir.resolve("data"));
    Node two = store.read(tx -> tx.resolve(DavPath.parse("/two")).orElseThrow());
    assertEquals(Map.of(x.hash(), one.id(), y.hash(), two.id()), rows());
    assertTrue(three.id() > one.id());
    assertConsistent();
    store.write(tx -> {
      tx.detach(one.id());
      return null;
    });
    store.purgeNow();
    assertTrue(Files.exists(store.blobs().localPath(x.hash()).orElseThrow()),
        "/three still names x");
    assertConsistent();
  }

  private void assertConsistent() throws IOException {
    assertEquals(List.of(), JdbcCheck.run(store, java.time.Duration.ofDays(1), Instant.now())
        .problems());
  }

  /** The {@code blob} rows: content hash to number. */
  private Map<String, Long> rows() {
    return store.read(tx -> JdbcTx.sql(() -> {
      Map<String, Long> out = new TreeMap<>();
      try (PreparedStatement ps = ((JdbcTx) tx).connection().prepareStatement(
          "SELECT hash, seq FROM blob"); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), rs.getLong(2));
        }
      }
      return out;
    }));
  }

  private void sql(String statement) {
    store.write(tx -> JdbcTx.sql(() -> {
      try (Statement s = ((JdbcTx) tx).connection().createStatement()) {
        return s.executeUpdate(statement);
      }
    }));
  }

  private Blob blob(String content) throws IOException {
    BlobStore.Pending p = store.blobs().write(
        new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)), -1);
    pins.add(p);
    return p.blob();
  }

  private void releasePins() {
    pins.forEach(BlobStore.Pending::close);
    pins.clear();
  }

  private Node mkdir(String path) {
    DavPath p = DavPath.parse(path);
    return store.write(tx -> tx.createCollection(tx.resolve(p.parent()).orElseThrow().id(),
        p.name(), T0));
  }

  private Node put(String path, Blob b) {
    DavPath p = DavPath.parse(path);
    return store.write(tx -> tx.createFile(tx.resolve(p.parent()).orElseThrow().id(), p.name(),
        b, "text/plain", T0));
  }

  private void overwrite(String path, Blob b) {
    store.write(tx -> tx.replaceContent(tx.resolve(DavPath.parse(path)).orElseThrow().id(), b,
        "text/plain", T0));
  }
}
