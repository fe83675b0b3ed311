package dev.depthdav.store;

import dev.depthdav.lock.LockStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Operations inside one transaction. Methods throw {@link StoreException} subclasses named for
 * the condition; they never throw for conditions the caller can check with a read first.
 */
public interface Tx {

  /** The root collection (id fixed by the store, parentId 0, name ""). */
  Node root();

  /**
   * The lock table, in this transaction: a lock check and the change it guards commit together
   * (or neither does), and lock changes made in a write are seen by its later reads.
   */
  LockStore locks();

  Optional<Node> get(long id);

  /** Follows {@code path} from the root; empty when any segment is missing or not a collection. */
  default Optional<Node> resolve(DavPath path) {
    Node n = root();
    for (String name : path.names()) {
      if (!n.collection()) {
        return Optional.empty();
      }
      Optional<Node> next = child(n.id(), name);
      if (next.isEmpty()) {
        return next;
      }
      n = next.get();
    }
    return Optional.of(n);
  }

  Optional<Node> child(long parentId, String name);

  /**
   * Streams the members of a collection ordered by name, from a cursor: the store holds no list of
   * them. {@code each} may call back into this transaction (nested cursors), so a caller can walk
   * a whole tree depth-first with memory bounded by the tree's depth.
   */
  void forEachChild(long parentId, Consumer<Node> each);

  /** A member of a collection with its dead properties (empty when they were not asked for). */
  record Member(Node node, Map<QName, String> props) {}

  /**
   * Up to {@code limit} members of a collection whose names sort after {@code after} (null: from
   * the first), in name order; with {@code withProperties}, each with its dead properties. A walk
   * that pages through collections this way holds no cursor open while it descends, so its memory
   * and stack do not grow with the tree's depth.
   */
  default List<Member> page(long parentId, String after, int limit, boolean withProperties) {
    List<Member> out = new ArrayList<>();
    forEachChild(parentId, n -> {
      if (out.size() < limit && (after == null || n.name().compareTo(after) > 0)) {
        out.add(new Member(n, withProperties ? properties(n.id()) : Map.of()));
      }
    });
    return out;
  }

  /**
   * Counts a resource and everything below it, in one set-based query; the store may stop
   * counting past {@code limit} and return any number above it.
   */
  long countSubtree(long id, long limit);

  /**
   * An upper bound on the number of resources this transaction sees, at next to no cost, or
   * {@link Long#MAX_VALUE} where there is none: a Depth: infinity PROPFIND need not count a tree
   * to know that it is within its budget when the whole store is.
   */
  default long resourcesAtMost() {
    return Long.MAX_VALUE;
  }

  /** True if the collection has at least one member. */
  boolean hasChildren(long parentId);

  /**
   * The bytes of content of the resource {@code id} and everything below it: each file counted
   * at its length, however many files share the same content (what a user's quota counts).
   */
  long bytesBelow(long id);

  /**
   * @throws StoreException.AlreadyExists if the name is taken
   * @throws StoreException.NotFound if the parent does not exist
   * @throws StoreException.NotACollection if the parent is not a collection
   */
  Node createCollection(long parentId, String name, Instant now);

  /**
   * The bytes of content kept in the store's rows ({@link Store#inlineMax}), or null when the
   * content {@code hash} is in the blob store (or named by no row).
   */
  default byte[] inlineContent(String hash) {
    return null;
  }

  /**
   * Creates a file whose content is {@code blob}; same exceptions as createCollection. Content
   * that no row names yet is kept in the row that numbers it when {@code blob} carries its bytes.
   */
  Node createFile(long parentId, String name, Blob blob, String contentType, Instant now);

  /** Replaces a file's content, giving it a new etag and modification time. */
  Node replaceContent(long id, Blob blob, String contentType, Instant now);

  /** Gives a resource a new etag and modification time (after a property change). */
  Node touch(long id, Instant now);

  /**
   * Moves a resource (with its whole subtree and properties) under a new parent with a new name:
   * one row update whatever the subtree's size. The caller has checked that the destination is
   * not inside the source.
   *
   * @throws StoreException.AlreadyExists if the new name is taken
   */
  Node move(long id, long newParentId, String newName, Instant now);

  /**
   * Detaches a resource and its subtree in constant time: its name is free and the subtree
   * invisible when this transaction commits; the purger later removes the rows, their properties
   * and blobs no longer referenced.
   */
  void detach(long id);

  /**
   * Copies a resource under a new parent with a new name, with its dead properties; with {@code
   * members}, the whole subtree. Set-based: no per-row round trips. Blobs are shared, never copied.
   * Copies get new ids, new etags and {@code now} as creation and modification time.
   *
   * @throws StoreException.AlreadyExists if the new name is taken
   */
  default Node copy(long id, long newParentId, String newName, boolean members, Instant now) {
    return copy(id, newParentId, newName, members, now, n -> { });
  }

  /**
   * As {@link #copy(long, long, String, boolean, Instant)}, telling {@code copied} how many more
   * resources have been copied as the copy goes (their sum is the size of what was copied), so a
   * long copy can report its progress.
   */
  Node copy(long id, long newParentId, String newName, boolean members, Instant now,
      LongConsumer copied);

  /** Dead properties of a resource: name to the property element's XML, ordered by name. */
  Map<QName, String> properties(long id);

  Optional<String> property(long id, QName name);

  /** Sets a dead property; {@code xml} is the whole property element exactly as stored. */
  void setProperty(long id, QName name, String xml);

  /** Removes a dead property; removing an absent one is not an error (RFC 4918 §14.23). */
  void removeProperty(long id, QName name);
}
