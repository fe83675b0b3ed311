package dev.depthdav.store.jdbc;

import dev.depthdav.lock.LockStore;
import dev.depthdav.store.Blob;
import dev.depthdav.store.DavPath;
import dev.depthdav.store.Node;
import dev.depthdav.store.QName;
import dev.depthdav.store.StoreException;
import dev.depthdav.store.Tx;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/** One transaction on an H2 connection; SQL failures become {@link StoreException}s. */
final class JdbcTx implements Tx {
  static final long ROOT = 1;
  static final long TRASH = 2;
  /** Row -1: unpublished tree copies are built under it, then moved into place in one update. */
  static final long STAGING = -1;
  private static final String COLUMNS = "id, parent_id, name, is_collection, size_bytes, "
      + "blob_hash, content_type, etag, created_ms, modified_ms";
  private static final String UNIQUE_VIOLATION = "23505";
  private static final Comparator<QName> BY_NAMESPACE_THEN_LOCAL =
      Comparator.comparing(QName::namespace).thenComparing(QName::local);

  private final JdbcStore store;
  private final Connection c;
  private final Ids ids;
  /** Blobs this transaction stopped referencing: deleted once its commit is durable. */
  private final Set<String> released = new LinkedHashSet<>();
  /** Roots of copies this transaction staged under {@link #STAGING} and has not yet published. */
  private final List<Long> staged = new ArrayList<>();
  /** Whether this transaction handed rows to the trash: the purger is woken after its commit. */
  private boolean trashed;
  private final JdbcLockStore locks = new JdbcLockStore(this);

  JdbcTx(JdbcStore store, Connection c, Ids ids) {
    this.store = store;
    this.c = c;
    this.ids = ids;
  }

  /** A SQL action that may fail. */
  @FunctionalInterface
  interface Sql<T> {
    T run() throws SQLException;
  }

  static <T> T sql(Sql<T> action) {
    try {
      return action.run();
    } catch (SQLException e) {
      if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
        throw new StoreException.AlreadyExists("name already taken");
      }
      throw new StoreException("database error: " + e.getMessage(), e);
    }
  }

  @Override
  public LockStore locks() {
    return locks;
  }

  /** Whether this transaction moved rows to the trash. */
  boolean trashed() {
    return trashed;
  }

  Connection connection() {
    return c;
  }

  JdbcStore store() {
    return store;
  }

  /**
   * Start-up recovery after a crash: copies that were staged but never published are handed to
   * the purger (their scratch table, {@code copy_ids}, was temporary: gone with the process).
   */
  void recover() {
    update("UPDATE node SET parent_id = " + TRASH + ", name = '#' || CAST(id AS VARCHAR(20)) "
        + "WHERE parent_id = " + STAGING);
    // Stores made before this version gave the root 1970 dates and the fixed ETag "root".
    long now = System.currentTimeMillis();
    update("UPDATE node SET created_ms = ?, modified_ms = ?, etag = ? WHERE id = ? "
        + "AND created_ms = 0", now, now, newEtag(), ROOT);
  }

  /** Records a copy staged under {@link #STAGING} by a side connection, not yet published. */
  void staged(long root) {
    staged.add(root);
  }

  /**
   * After a rollback: the copies this transaction staged (committed on their own) go to the
   * purger, in a transaction of their own on this connection.
   */
  void discardStaged() {
    if (staged.isEmpty()) {
      return;
    }
    for (long id : staged) {
      update("UPDATE node SET parent_id = ?, name = ? WHERE id = ? AND parent_id = ?", TRASH,
          "#" + id, id, STAGING);
    }
    sql(() -> {
      c.commit();
      return null;
    });
    staged.clear();
    store.purgeSoon(); // already committed: the staged rows are the purger's now
  }

  /** Once the commit is durable: content no row names any more is deleted. */
  void afterDurable() {
    for (String hash : released) {
      store.blobs().deleteIfUnreferenced(hash, store::referenced);
    }
  }

  @Override
  public Node root() {
    return get(ROOT).orElseThrow(() -> new StoreException("the root row is missing"));
  }

  @Override
  public Optional<Node> get(long id) {
    return one("SELECT " + COLUMNS + " FROM node WHERE id = ?", id);
  }


  /** Segments resolved by one statement; a deeper path takes one statement per this many. */
  static final int RESOLVE_STEP = 8;

  /**
   * Follows {@code path} from the root with one query per {@link #RESOLVE_STEP} segments (a
   * join of the node table with itself, each level found by the (parent_id, name) index) instead
   * of one per segment. A transaction sees one state, so the answer is that of the walk one
   * segment at a time: empty when a segment is missing or an ancestor is not a collection.
   */
  @Override
  public Optional<Node> resolve(DavPath path) {
    List<String> names = path.names();
    if (names.isEmpty()) {
      return Optional.of(root());
    }
    long parent = ROOT;
    Optional<Node> found = Optional.empty();
    for (int from = 0; from < names.size(); from += RESOLVE_STEP) {
      if (found.isPresent() && !found.get().collection()) {
        return Optional.empty(); // the last segment of the previous step has no members
      }
      List<String> step = names.subList(from, Math.min(names.size(), from + RESOLVE_STEP));
      Object[] args = new Object[step.size() + 1];
      args[0] = parent;
      for (int i = 0; i < step.size(); i++) {
        args[i + 1] = step.get(i);
      }
      found = one(WALK[step.size()], args);
      if (found.isEmpty()) {
        return found;
      }
      parent = found.get().id();
    }
    return found;
  }

  /** The statements of {@link #resolve}, by the number of segments: the same text every time. */
  private static final String[] WALK = new String[RESOLVE_STEP + 1];

  static {
    for (int k = 1; k <= RESOLVE_STEP; k++) {
      StringBuilder from = new StringBuilder();
      StringBuilder where = new StringBuilder("n1.parent_id = ?");
      for (int i = 1; i <= k; i++) {
        from.append(i == 1 ? "" : ", ").append("node n").append(i);
        if (i > 1) {
          where.append(" AND n").append(i).append(".parent_id = n").append(i - 1).append(".id");
        }
        where.append(" AND n").append(i).append(".name = ?");
        if (i < k) {
          where.append(" AND n").append(i).append(".is_collection");
        }
      }
      WALK[k] = "SELECT " + COLUMNS.replaceAll("(^|, )", "$1n" + k + ".") + " FROM " + from
          + " WHERE " + where;
    }
  }

  @Override
  public Optional<Node> child(long parentId, String name) {
    return one("SELECT " + COLUMNS + " FROM node WHERE parent_id = ? AND name = ?", parentId,
        name);
  }

  @Override
  public void forEachChild(long parentId, Consumer<Node> each) {
    sql(() -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT " + COLUMNS + " FROM node WHERE parent_id = ? ORDER BY name")) {
        ps.setFetchSize(256);
        ps.setLong(1, parentId);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            each.accept(row(rs));
          }
        }
      }
      return null;
    });
  }

  @Override
  public List<Member> page(long parentId, String after, int limit, boolean withProperties) {
    return sql(() -> {
      List<Member> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM node "
          + "WHERE parent_id = ? AND name > ? ORDER BY name FETCH FIRST " + limit
          + " ROWS ONLY")) {
        ps.setLong(1, parentId);
        ps.setString(2, after == null ? "" : after); // every name is longer than ""
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new Member(row(rs), withProperties ? new TreeMap<>(BY_NAMESPACE_THEN_LOCAL)
                : Map.of()));
          }
        }
      }
      if (withProperties && !out.isEmpty()) {
        Map<Long, Map<QName, String>> byId = new java.util.HashMap<>();
        out.forEach(m -> byId.put(m.node().id(), m.props()));
        String in = String.join(", ", java.util.Collections.nCopies(out.size(), "?"));
        try (PreparedStatement ps = c.prepareStatement(
            "SELECT node_id, ns, local_name, xml FROM prop WHERE node_id IN (" + in + ")")) {
          bind(ps, byId.keySet().toArray());
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              byId.get(rs.getLong(1)).put(new QName(rs.getString(2), rs.getString(3)),
                  rs.getString(4));
            }
          }
        }
      }
      return out;
    });
  }

  @Override
  public long countSubtree(long id, long limit) {
    return sql(() -> {
      // The recursion follows collections only (a few percent of a typical tree); the members
      // are then counted in one join on the parent index. Plus one for the resource itself.
      try (PreparedStatement ps = c.prepareStatement("WITH RECURSIVE dirs(id) AS ("
          + "SELECT id FROM node WHERE id = ? AND is_collection UNION ALL "
          + "SELECT n.id FROM node n JOIN dirs d ON n.parent_id = d.id WHERE n.is_collection) "
          + "SELECT 1 + COUNT(n.id) FROM dirs d JOIN node n ON n.parent_id = d.id")) {
        ps.setLong(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      }
    });
  }

  /**
   * The span of the ids this transaction sees: rows have distinct ids, so there are no more of
   * them than ids between the least and the greatest. Both ends are read from the primary key's
   * index, in H2 and PostgreSQL alike, whatever the table's size (a {@code COUNT(*)} inside the
   * snapshot counted row by row, as long as counting the tree:
   * bench/results/propfind-ttfb-20261202.md). Ids are never handed out twice, so the span grows
   * with every row ever made, purged ones included: a bound for stores whose ids stay below the
   * budget, and no help past that.
   */
  @Override
  public long resourcesAtMost() {
    return sql(() -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT MIN(id), MAX(id) FROM node");
          ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(2) - rs.getLong(1) + 1;
      }
    });
  }

  @Override
  public long bytesBelow(long id) {
    return sql(() -> {
      // As countSubtree: recurse through collections, then sum their members in one join.
      try (PreparedStatement ps = c.prepareStatement("WITH RECURSIVE dirs(id) AS ("
          + "SELECT id FROM node WHERE id = ? AND is_collection UNION ALL "
          + "SELECT n.id FROM node n JOIN dirs d ON n.parent_id = d.id WHERE n.is_collection) "
          + "SELECT COALESCE(SUM(n.size_bytes), 0) FROM dirs d JOIN node n ON n.parent_id = d.id "
          + "WHERE NOT n.is_collection UNION ALL "
          + "SELECT size_bytes FROM node WHERE id = ? AND NOT is_collection")) {
        ps.setLong(1, id);
        ps.setLong(2, id);
        long total = 0;
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            total += rs.getLong(1);
          }
        }
        return total;
      }
    });
  }

  @Override
  public boolean hasChildren(long parentId) {
    return sql(() -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT 1 FROM node WHERE parent_id = ? FETCH FIRST 1 ROWS ONLY")) {
        ps.setLong(1, parentId);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next();
        }
      }
    });
  }

  @Override
  public Node createCollection(long parentId, String name, Instant now) {
    return insert(parentId, name, true, null, null, now);
  }

  @Override
  public Node createFile(long parentId, String name, Blob blob, String contentType, Instant now) {
    return insert(parentId, name, false, blob, contentType, now);
  }

  private Node insert(long parentId, String name, boolean collection, Blob blob, String type,
      Instant now) {
    long size = blob == null ? 0 : blob.length();
    String hash = blob == null ? null : blob.hash();
    requireCollection(parentId);
    if (child(parentId, name).isPresent()) {
      throw new StoreException.AlreadyExists(name + " already exists");
    }
    long id = sql(() -> ids.next(c));
    Node n = new Node(id, parentId, name, collection, size, hash, type, newEtag(), now, now);
    List<Object> args = new ArrayList<>(Arrays.asList(n.id(), n.parentId(), n.name(),
        n.collection(), n.length(), n.blob(), n.contentType(), n.etag(), now.toEpochMilli(),
        now.toEpochMilli()));
    // A collection names no content: its blob_seq is left NULL (bind() types a null as text).
    String seq = "";
    if (hash != null) {
      args.add(blobSeq(blob));
      seq = ", blob_seq";
    }
    update("INSERT INTO node (" + COLUMNS + seq + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?"
        + (hash != null ? ", ?" : "") + ")", args.toArray());
    return n;
  }

  /**
   * The sequence number of the content {@code blob} (V9__blob_order.sql): its {@code blob} row's,
   * or, when no row names that content yet, a new id in a new row, which keeps the bytes when
   * {@code blob} carries them (V11__inline_content.sql). Content some row names already stays
   * where it is, in its row or in the blob store. Writes hold the writers' lock, so no other write
   * adds the same row between the look and the insert.
   */
  private long blobSeq(Blob blob) {
    Long seq = sql(() -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT seq FROM blob WHERE hash = ?")) {
        ps.setString(1, blob.hash());
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? rs.getLong(1) : null;
        }
      }
    });
    if (seq != null) {
      return seq;
    }
    long next = sql(() -> ids.next(c));
    if (blob.inline() == null) {
      update("INSERT INTO blob (hash, seq) VALUES (?, ?)", blob.hash(), next);
    } else {
      update("INSERT INTO blob (hash, seq, data) VALUES (?, ?, ?)", blob.hash(), next,
          blob.inline());
    }
    return next;
  }

  @Override
  public byte[] inlineContent(String hash) {
    return sql(() -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT data FROM blob WHERE hash = ?")) {
        ps.setString(1, hash);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? rs.getBytes(1) : null;
        }
      }
    });
  }

  /**
   * Drops the {@code blob} row of content that no row names any more, in the transaction that
   * dropped the last reference, so that a row exists exactly while some row names the content.
   */
  void dropBlobRowsIfUnnamed(Collection<String> hashes) {
    if (hashes.isEmpty()) {
      return;
    }
    String in = String.join(", ", Collections.nCopies(hashes.size(), "?"));
    update("DELETE FROM blob WHERE hash IN (" + in + ") AND NOT EXISTS "
        + "(SELECT 1 FROM node n WHERE n.blob_seq = blob.seq)", hashes.toArray());
  }

  private void requireCollection(long id) {
    Node parent = get(id).orElseThrow(() -> new StoreException.NotFound("no parent " + id));
    if (!parent.collection()) {
      throw new StoreException.NotACollection(parent.name() + " is not a collection");
    }
  }

  @Override
  public Node replaceContent(long id, Blob blob, String contentType, Instant now) {
    Optional<String> old = get(id).map(Node::blob).filter(h -> !h.equals(blob.hash()));
    int changed = update("UPDATE node SET size_bytes = ?, blob_hash = ?, blob_seq = ?, "
        + "content_type = ?, etag = ?, modified_ms = ? WHERE id = ? AND is_collection = FALSE",
        blob.length(), blob.hash(), blobSeq(blob), contentType, newEtag(),
        now.toEpochMilli(), id);
    if (changed == 0) {
      dropBlobRowsIfUnnamed(List.of(blob.hash())); // no such file: the new row names nothing
    }
    old.ifPresent(h -> {
      released.add(h);
      dropBlobRowsIfUnnamed(List.of(h));
    });
    return existing(id);
  }

  @Override
  public Node touch(long id, Instant now) {
    update("UPDATE node SET etag = ?, modified_ms = ? WHERE id = ?", newEtag(),
        now.toEpochMilli(), id);
    return existing(id);
  }

  @Override
  public Node move(long id, long newParentId, String newName, Instant now) {
    requireCollection(newParentId);
    if (child(newParentId, newName).isPresent()) {
      throw new StoreException.AlreadyExists(newName + " already exists");
    }
    // One row, whatever the subtree's size: the members follow by their parent ids.
    update("UPDATE node SET parent_id = ?, name = ? WHERE id = ?", newParentId, newName, id);
    return existing(id);
  }

  @Override
  public void detach(long id) {
    if (id == ROOT || id == TRASH || id == STAGING) {
      throw new StoreException("refusing to detach a top row");
    }
    update("UPDATE node SET parent_id = ?, name = ? WHERE id = ?", TRASH, "#" + id, id);
    trashed = true;
  }

  @Override
  public Node copy(long id, long newParentId, String newName, boolean members, Instant now,
      LongConsumer copied) {
    return copy(id, newParentId, newName, members, now, copied, TreeCopy.CHUNK);
  }

  /** The copy, with rows copied {@code chunk} ids at a time (tests use small chunks). */
  Node copy(long id, long newParentId, String newName, boolean members, Instant now,
      LongConsumer copied, long chunk) {
    requireCollection(newParentId);
    if (child(newParentId, newName).isPresent()) {
      throw new StoreException.AlreadyExists(newName + " already exists");
    }
    long newId = new TreeCopy(this, ids, chunk)
        .copy(id, newParentId, newName, members, now, copied);
    if (members) {
      // The copy was built under STAGING in transactions of its own; it appears, whole, when
      // this transaction commits, and only then.
      update("UPDATE node SET parent_id = ?, name = ? WHERE id = ?", newParentId, newName, newId);
      staged.remove(Long.valueOf(newId));
    }
    return existing(newId);
  }

  @Override
  public Map<QName, String> properties(long id) {
    return sql(() -> {
      Map<QName, String> out = new LinkedHashMap<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT ns, local_name, xml FROM prop WHERE node_id = ? ORDER BY ns, local_name")) {
        ps.setLong(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.put(new QName(rs.getString(1), rs.getString(2)), rs.getString(3));
          }
        }
      }
      return out;
    });
  }

  @Override
  public Optional<String> property(long id, QName name) {
    return sql(() -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT xml FROM prop WHERE node_id = ? AND ns = ? AND local_name = ?")) {
        bind(ps, id, name.namespace(), name.local());
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
        }
      }
    });
  }

  @Override
  public void setProperty(long id, QName name, String xml) {
    int n = update("UPDATE prop SET xml = ? WHERE node_id = ? AND ns = ? AND local_name = ?",
        xml, id, name.namespace(), name.local());
    if (n == 0) {
      update("INSERT INTO prop (node_id, ns, local_name, xml) VALUES (?, ?, ?, ?)", id,
          name.namespace(), name.local(), xml);
    }
  }

  @Override
  public void removeProperty(long id, QName name) {
    update("DELETE FROM prop WHERE node_id = ? AND ns = ? AND local_name = ?", id,
        name.namespace(), name.local());
  }

  private Node existing(long id) {
    return get(id).orElseThrow(() -> new StoreException.NotFound("no resource " + id));
  }

  /** A fresh strong entity tag: 128 random bits, so no two writes ever share one. */
  static String newEtag() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return String.format("%016x%016x", r.nextLong(), r.nextLong());
  }

  int update(String sql, Object... args) {
    return sql(() -> {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        bind(ps, args);
        return ps.executeUpdate();
      }
    });
  }

  private Optional<Node> one(String sql, Object... args) {
    return sql(() -> {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        bind(ps, args);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(row(rs)) : Optional.empty();
        }
      }
    });
  }

  static void bind(PreparedStatement ps, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      if (args[i] == null) {
        ps.setNull(i + 1, Types.VARCHAR); // every nullable column is text
      } else {
        ps.setObject(i + 1, args[i]);
      }
    }
  }

  private static Node row(ResultSet rs) throws SQLException {
    return new Node(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getBoolean(4),
        rs.getLong(5), rs.getString(6), rs.getString(7), rs.getString(8),
        Instant.ofEpochMilli(rs.getLong(9)), Instant.ofEpochMilli(rs.getLong(10)));
  }
}
