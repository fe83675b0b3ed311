package dev.depthdav.dav;

import dev.depthdav.store.DavPath;
import java.util.ArrayList;
import java.util.List;

/**
 * A user's view of the store: the folder it sees as {@code /}. Every path a client names (the
 * Request-URI, Destination, tagged If URLs) is made a store path here, after it was decoded and
 * normalized by {@link DavPath#parse}, so no encoding and no {@code ..} can leave the root; every
 * href the server writes is made relative to it again.
 */
final class View {
  private View() {}

  /** {@code visible} (as the client names it) under {@code root}. */
  static DavPath toStore(DavPath root, DavPath visible) {
    if (root.isRoot()) {
      return visible;
    }
    List<String> names = new ArrayList<>(root.names());
    names.addAll(visible.names());
    return new DavPath(names);
  }

  /** {@code stored} relative to {@code root}; the root itself for anything not below it. */
  static DavPath toVisible(DavPath root, DavPath stored) {
    if (root.isRoot()) {
      return stored;
    }
    if (!root.isSameOrAncestorOf(stored)) {
      return DavPath.ROOT;
    }
    return new DavPath(stored.names().subList(root.names().size(), stored.names().size()));
  }
}
