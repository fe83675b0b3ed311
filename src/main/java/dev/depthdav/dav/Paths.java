package dev.depthdav.dav;

import dev.depthdav.store.DavPath;
import dev.depthdav.store.Node;
import dev.depthdav.store.Tx;

/** Lookups shared by the methods that create resources. */
final class Paths {
  private Paths() {}

  /**
   * The collection that will hold {@code path}. RFC 4918 §9.3.1, §9.7.1, §9.8.5: a missing
   * parent (or one that is not a collection) is 409 Conflict, never created implicitly.
   */
  static Node parentCollection(Tx tx, DavPath path) {
    Node parent = tx.resolve(path.parent())
        .orElseThrow(() -> new DavError(409, "parent collection " + path.parent()
            + " does not exist"));
    if (!parent.collection()) {
      throw new DavError(409, "parent " + path.parent() + " is not a collection");
    }
    return parent;
  }
}
