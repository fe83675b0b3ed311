package dev.depthdav.store.jdbc;

import dev.depthdav.store.BlobStore;
import dev.depthdav.store.blob.Spool;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Verifies a store's consistency: every row's parent exists and is a collection, names are
 * unique per parent, every row is reachable from the root or the trash (so there is no cycle),
 * every file's content is numbered by its blob row and every blob row is named by a file, every
 * referenced blob (by a file or by an operation's result) exists with the right size and hash;
 * and lists unreferenced blobs.
 */
public final class JdbcCheck {
  private JdbcCheck() {}

  /** What a check found: problems make the store inconsistent; orphans are only reported. */
  public record Report(List<String> problems, List<String> unreferencedBlobs, long rows,
      long blobs) {}

  /** The check with the store's own grace period for unreferenced blobs. */
  public static Report run(JdbcStore store) throws IOException {
    return run(store, store.settings().orphanGrace(), Instant.now());
  }

  /**
   * The check; an unreferenced blob older than {@code grace} at {@code now} is a problem (space
   * that is never coming back), a younger one may belong to a write in flight and is listed only.
   */
  public static Report run(JdbcStore store, Duration grace, Instant now) throws IOException {
    List<String> problems = new ArrayList<>();
    long[] counts = new long[1];
    Set<String> referenced = new HashSet<>();
    List<String[]> blobRows = new ArrayList<>();
    Set<String> inline = new HashSet<>();
    store.read(tx -> JdbcTx.sql(() -> {
      JdbcTx t = (JdbcTx) tx;
      counts[0] = scalar(t, "SELECT COUNT(*) FROM node");
      count(t, problems, "rows whose parent does not exist", "SELECT COUNT(*) FROM node n "
          + "LEFT JOIN node p ON n.parent_id = p.id WHERE n.parent_id <> 0 AND p.id IS NULL");
      count(t, problems, "rows whose parent is not a collection", "SELECT COUNT(*) FROM node n "
          + "JOIN node p ON n.parent_id = p.id WHERE p.is_collection = FALSE");
      count(t, problems, "names used twice in one collection", "SELECT COUNT(*) FROM (SELECT "
          + "parent_id, name FROM node GROUP BY parent_id, name HAVING COUNT(*) > 1) d");
      long reachable = scalar(t, "WITH RECURSIVE r(id) AS (SELECT id FROM node WHERE parent_id = 0 "
          + "UNION ALL SELECT n.id FROM node n JOIN r ON n.parent_id = r.id "
          + "WHERE n.parent_id <> 0) SELECT COUNT(*) FROM r");
      if (reachable != counts[0]) {
        problems.add((counts[0] - reachable) + " rows unreachable from the root (a cycle)");
      }
      count(t, problems, "files without content", "SELECT COUNT(*) FROM node "
          + "WHERE is_collection = FALSE AND blob_hash IS NULL");
      // Every file's content has its numbered row, and a row exists only while a file names
      // it (V9__blob_order.sql): the purger's "is this blob still named" reads them.
      count(t, problems, "files whose content is not numbered as its blob row says",
          "SELECT COUNT(*) FROM node n LEFT JOIN blob b ON b.hash = n.blob_hash "
              + "WHERE n.blob_hash IS NOT NULL AND (b.hash IS NULL OR n.blob_seq IS NULL "
              + "OR n.blob_seq <> b.seq)");
      count(t, problems, "collections with a content number", "SELECT COUNT(*) FROM node "
          + "WHERE blob_hash IS NULL AND blob_seq IS NOT NULL");
      count(t, problems, "blob rows that no file names", "SELECT COUNT(*) FROM blob b "
          + "WHERE NOT EXISTS (SELECT 1 FROM node n WHERE n.blob_seq = b.seq)");
      count(t, problems, "content numbers used twice", "SELECT COUNT(*) FROM (SELECT seq "
          + "FROM blob GROUP BY seq HAVING COUNT(*) > 1) d");
      // Content kept in its row (V11__inline_content.sql): as long as the files naming it say,
      // and hashing to its name; it needs no blob in the blob store.
      count(t, problems, "files whose content in the database is not as long as they say",
          "SELECT COUNT(*) FROM node n JOIN blob b ON b.seq = n.blob_seq "
              + "WHERE b.data IS NOT NULL AND OCTET_LENGTH(b.data) <> n.size_bytes");
      try (PreparedStatement ps = t.connection().prepareStatement(
          "SELECT hash, data FROM blob WHERE data IS NOT NULL");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String hash = rs.getString(1);
          inline.add(hash);
          if (!HexFormat.of().formatHex(Spool.sha256().digest(rs.getBytes(2))).equals(hash)) {
            problems.add("content " + hash + " in the database does not hash to its name");
          }
        }
      }
      count(t, problems, "properties of missing rows", "SELECT COUNT(*) FROM prop p "
          + "LEFT JOIN node n ON p.node_id = n.id WHERE n.id IS NULL");
      // The files' content, and the captured results of operations (V7__operations.sql).
      for (String sql : List.of(
          "SELECT DISTINCT blob_hash, size_bytes, 'file' FROM node WHERE blob_hash IS NOT NULL",
          "SELECT DISTINCT result_blob, result_bytes, 'result' FROM operations "
              + "WHERE result_blob IS NOT NULL")) {
        try (PreparedStatement ps = t.connection().prepareStatement(sql);
            ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            blobRows.add(new String[] {rs.getString(1), Long.toString(rs.getLong(2)),
                rs.getString(3)});
            referenced.add(rs.getString(1));
          }
        }
      }
      return null;
    }));
    BlobStore blobs = store.blobs();
    Map<String, BlobStore.Stored> stored = new HashMap<>();
    for (BlobStore.Stored b : blobs.list()) {
      stored.put(b.hash(), b);
    }
    for (String[] b : blobRows) {
      if (!(b[2].equals("file") && inline.contains(b[0]))) {
        checkBlob(blobs, stored.get(b[0]), b[0], Long.parseLong(b[1]), problems);
      }
    }
    List<String> orphans = new ArrayList<>();
    long stale = 0;
    for (BlobStore.Stored b : stored.values()) {
      if (!referenced.contains(b.hash())) {
        orphans.add(b.hash());
        stale += b.modified().isBefore(now.minus(grace)) ? 1 : 0;
      }
    }
    if (stale > 0) {
      problems.add(stale + " blobs that no resource names, older than " + grace
          + " (check --repair removes them)");
    }
    return new Report(problems, orphans, counts[0], blobRows.size());
  }

  /** Removes the unreferenced blobs older than {@code grace}; returns how many. */
  public static int repair(JdbcStore store, Duration grace, Instant now) throws IOException {
    return store.blobs().sweep(now.minus(grace));
  }

  /** A referenced blob must be stored, as long as its rows say, and hash to its name. */
  private static void checkBlob(BlobStore blobs, BlobStore.Stored found, String hash, long size,
      List<String> problems) throws IOException {
    if (found == null) {
      problems.add("blob " + hash + " is missing");
      return;
    }
    if (found.size() != size) {
      problems.add("blob " + hash + " has " + found.size() + " bytes, rows say " + size);
      return;
    }
    try (InputStream in = blobs.open(hash, 0, size)) {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) >= 0; ) {
        sha.update(buf, 0, n);
      }
      if (!HexFormat.of().formatHex(sha.digest()).equals(hash)) {
        problems.add("blob " + hash + " does not hash to its name");
      }
    } catch (java.nio.file.NoSuchFileException e) {
      problems.add("blob " + hash + " is missing");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void count(JdbcTx t, List<String> problems, String what, String sql)
      throws java.sql.SQLException {
    long n = scalar(t, sql);
    if (n > 0) {
      problems.add(n + " " + what);
    }
  }

  private static long scalar(JdbcTx t, String sql) throws java.sql.SQLException {
    try (PreparedStatement ps = t.connection().prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
