package dev.depthdav.store.jdbc;

import dev.depthdav.store.Blob;
import dev.depthdav.store.OperationLog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The operations of every process on a shared database, in table {@code operations}
 * ({@code V7__operations.sql}). Each call commits on a connection of its own, outside the
 * writers' locks: a heartbeat never waits for a COPY that holds them for minutes, and no tree
 * invariant depends on these rows. Only the process running an operation writes its row, so
 * the update-else-insert of {@link #save} meets no concurrent writer of the same id.
 */
final class JdbcOperationLog implements OperationLog {
  private static final String COLUMNS = "id, owner, method, path, submitted_ms, state, phase, "
      + "done_count, total_count, bytes, processing_sent, status, outcome, finished_ms, node, "
      + "heartbeat_ms, result_status, result_headers, result_blob, result_bytes";
  private static final String UPDATE = "UPDATE operations SET owner = ?, method = ?, path = ?, "
      + "submitted_ms = ?, state = ?, phase = ?, done_count = ?, total_count = ?, bytes = ?, "
      + "processing_sent = ?, status = ?, outcome = ?, finished_ms = ?, node = ?, "
      + "heartbeat_ms = ?, result_status = ?, result_headers = ?, result_blob = ?, "
      + "result_bytes = ? WHERE id = ?";
  private static final String INSERT = "INSERT INTO operations (" + COLUMNS + ") VALUES ("
      + String.join(", ", Collections.nCopies(20, "?")) + ")";

  private final JdbcStore store;

  JdbcOperationLog(JdbcStore store) {
    this.store = store;
  }

  @Override
  public void save(Record r) {
    inTransaction(c -> {
      try (PreparedStatement ps = c.prepareStatement(UPDATE)) {
        bindFields(ps, 1, r);
        ps.setString(20, r.id());
        if (ps.executeUpdate() == 1) {
          return null;
        }
      }
      try (PreparedStatement ps = c.prepareStatement(INSERT)) {
        ps.setString(1, r.id());
        bindFields(ps, 2, r);
        ps.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public Optional<Record> find(String id) {
    return inTransaction(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT " + COLUMNS + " FROM operations WHERE id = ?")) {
        ps.setString(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(record(rs)) : Optional.<Record>empty();
        }
      }
    });
  }

  @Override
  public List<Record> list(int max) {
    return inTransaction(c -> {
      List<Record> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM operations "
          + "ORDER BY submitted_ms DESC, id FETCH FIRST " + max + " ROWS ONLY");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(record(rs));
        }
      }
      return out;
    });
  }

  @Override
  public int forget(Instant cutoff, int keep, int max) {
    Map<String, String> gone = inTransaction(c -> {
      Map<String, String> found = new LinkedHashMap<>(); // id -> result blob (or null)
      long ms = cutoff.toEpochMilli();
      collect(c, found, max, "SELECT id, result_blob FROM operations WHERE finished_ms < " + ms
          + " OR finished_ms IS NULL AND heartbeat_ms < " + ms);
      collect(c, found, max, "SELECT id, result_blob FROM operations WHERE finished_ms IS NOT "
          + "NULL ORDER BY finished_ms DESC, id OFFSET " + keep + " ROWS");
      if (!found.isEmpty()) {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM operations WHERE id IN ("
            + String.join(", ", Collections.nCopies(found.size(), "?")) + ")")) {
          JdbcTx.bind(ps, found.keySet().toArray());
          ps.executeUpdate();
        }
      }
      return found;
    });
    // After the commit, as the purger does: a blob goes once no row or record names it.
    Set<String> blobs = new LinkedHashSet<>(gone.values());
    blobs.remove(null);
    blobs.forEach(h -> store.blobs().deleteIfUnreferenced(h, store::referenced));
    return gone.size();
  }

  @Override
  public boolean names(String hash) {
    return inTransaction(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT 1 FROM operations WHERE result_blob = ? FETCH FIRST 1 ROWS ONLY")) {
        ps.setString(1, hash);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next();
        }
      }
    });
  }

  /** Adds the rows {@code sql} selects (id, result blob) to {@code gone}, up to {@code max}. */
  private static void collect(Connection c, Map<String, String> gone, int max, String sql)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
      while (gone.size() < max && rs.next()) {
        gone.put(rs.getString(1), rs.getString(2));
      }
    }
  }

  /** Binds every column but the id, in {@link #UPDATE}'s order, from index {@code at}. */
  private static void bindFields(PreparedStatement ps, int at, Record r) throws SQLException {
    ps.setString(at, r.owner());
    ps.setString(at + 1, r.method());
    ps.setString(at + 2, r.path());
    ps.setLong(at + 3, r.submitted().toEpochMilli());
    ps.setString(at + 4, r.state());
    ps.setString(at + 5, r.phase());
    ps.setLong(at + 6, r.done());
    ps.setLong(at + 7, r.total());
    ps.setLong(at + 8, r.bytes());
    ps.setInt(at + 9, r.processingSent());
    ps.setInt(at + 10, r.status());
    ps.setString(at + 11, r.outcome());
    setLong(ps, at + 12, r.finished() == null ? null : r.finished().toEpochMilli());
    ps.setString(at + 13, r.node());
    ps.setLong(at + 14, r.heartbeat().toEpochMilli());
    Result res = r.result();
    if (res == null) {
      ps.setNull(at + 15, Types.INTEGER);
    } else {
      ps.setInt(at + 15, res.status());
    }
    ps.setString(at + 16, res == null ? null : Headers.format(res.headers()));
    Blob body = res == null ? null : res.body();
    ps.setString(at + 17, body == null ? null : body.hash());
    setLong(ps, at + 18, body == null ? null : body.length());
  }

  private static void setLong(PreparedStatement ps, int at, Long value) throws SQLException {
    if (value == null) {
      ps.setNull(at, Types.BIGINT);
    } else {
      ps.setLong(at, value);
    }
  }

  private static Record record(ResultSet rs) throws SQLException {
    long finished = rs.getLong(14);
    Instant end = rs.wasNull() ? null : Instant.ofEpochMilli(finished);
    int resultStatus = rs.getInt(17);
    Result result = null;
    if (!rs.wasNull()) {
      String hash = rs.getString(19);
      result = new Result(resultStatus, Headers.parse(rs.getString(18)),
          hash == null ? null : new Blob(hash, rs.getLong(20)));
    }
    return new Record(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
        Instant.ofEpochMilli(rs.getLong(5)), rs.getString(6), rs.getString(7), rs.getLong(8),
        rs.getLong(9), rs.getLong(10), rs.getInt(11), rs.getInt(12), rs.getString(13), end,
        rs.getString(15), Instant.ofEpochMilli(rs.getLong(16)), result);
  }

  /** Runs {@code work} in a transaction of its own, committed when it returns. */
  private <T> T inTransaction(JdbcWork<T> work) {
    return JdbcTx.sql(() -> {
      try (Connection c = store.sideConnection()) {
        try {
          T out = work.run(c);
          c.commit();
          return out;
        } catch (SQLException | RuntimeException e) {
          c.rollback();
          throw e;
        }
      }
    });
  }

  private interface JdbcWork<T> {
    T run(Connection c) throws SQLException;
  }

  /** A result's headers as "Name: value" lines (HTTP field values hold no line breaks). */
  static final class Headers {
    private Headers() {}

    static String format(Map<String, String> headers) {
      StringBuilder b = new StringBuilder();
      headers.forEach((k, v) -> b.append(k).append(": ").append(v).append('\n'));
      return b.toString();
    }

    static Map<String, String> parse(String lines) {
      Map<String, String> out = new LinkedHashMap<>();
      for (String line : lines == null ? new String[0] : lines.split("\n")) {
        int colon = line.indexOf(": ");
        if (colon > 0) {
          out.put(line.substring(0, colon), line.substring(colon + 2));
        }
      }
      return out;
    }
  }
}
