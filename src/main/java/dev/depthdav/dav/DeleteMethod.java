package dev.depthdav.dav;

import dev.depthdav.dav.xml.BadRequestException;
import dev.depthdav.dav.xml.Depth;
import dev.depthdav.dav.xml.XmlWriter;
import dev.depthdav.lock.Lock;
import dev.depthdav.store.DavPath;
import dev.depthdav.store.Node;
import dev.depthdav.store.Tx;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * DELETE (RFC 4918 §9.6). A collection is detached in constant time, whatever its size: its name
 * is free and its members gone when the transaction commits; a background purger frees the rows.
 * When members below are locked by others, everything else is deleted and the locked members and
 * their ancestors stay: 207 with a 423 for each (§9.6.1), in the same single transaction.
 */
final class DeleteMethod implements Method {
  private static final String DAV = "DAV:";

  @Override
  public void handle(Exchange x) throws IOException {
    if (x.isRoot(x.path())) {
      throw new DavError(403, "refusing to delete the root collection");
    }
    Depth depth;
    try {
      depth = Depth.parse(x.header("Depth"), Depth.INFINITY);
    } catch (BadRequestException e) {
      throw new DavError(400, e.getMessage());
    }
    List<Lock> blocked = x.operate(() -> x.store.writeToFree(tx -> {
      x.operation.phase("deleting");
      Node target = tx.resolve(x.path())
          .orElseThrow(() -> new DavError(404, "no resource at " + x.path()));
      // RFC 4918 §9.6.1: DELETE on a collection acts as if Depth: infinity; any other value is 400.
      if (target.collection() && depth != Depth.INFINITY) {
        throw new DavError(400, "DELETE of a collection needs Depth: infinity");
      }
      Preconditions.check(x, target);
      LockGate gate = LockGate.open(x, tx).member(x.path());
      gate.require();
      List<Lock> below = gate.blockedBelow(x.path());
      if (below.isEmpty()) {
        tx.detach(target.id());
        // RFC 4918 §9.6.1: the locks of what is deleted go with it.
        tx.locks().removeWithin(LockGate.key(x.path()));
      } else {
        Set<String> locked = new HashSet<>();
        Set<String> onTheWay = new HashSet<>();
        for (Lock l : below) {
          locked.add(l.root());
          for (String p : Lock.selfAndAncestors(l.root())) {
            onTheWay.add(p);
          }
        }
        deleteAround(x, tx, target, x.path(), locked, onTheWay);
      }
      return below;
    }));
    if (blocked.isEmpty()) {
      x.status(204);
    } else {
      partial(x, blocked);
    }
  }

  /**
   * Deletes the members of {@code dir} except the locked ones and those on the way to them,
   * going down the ways with a stack of its own (no recursion, however deep the locked member).
   */
  private static void deleteAround(Exchange x, Tx tx, Node dir, DavPath path, Set<String> locked,
      Set<String> onTheWay) {
    Deque<Map.Entry<Node, DavPath>> ways = new ArrayDeque<>();
    ways.push(Map.entry(dir, path));
    while (!ways.isEmpty()) {
      Map.Entry<Node, DavPath> way = ways.pop();
      List<Node> members = new ArrayList<>();
      tx.forEachChild(way.getKey().id(), members::add);
      for (Node m : members) {
        DavPath p = way.getValue().child(m.name());
        String key = LockGate.key(p);
        if (locked.contains(key)) {
          continue; // locked by someone else: it stays, with everything below it
        }
        if (onTheWay.contains(key)) {
          ways.push(Map.entry(m, p));
        } else {
          tx.detach(m.id());
          tx.locks().removeWithin(key);
        }
      }
    }
  }

  /** RFC 4918 §9.6.2: 207 naming each member that could not be deleted, with 423. */
  private static void partial(Exchange x, List<Lock> blocked) throws IOException {
    XmlWriter w = x.multistatus();
    for (Lock l : blocked) {
      String href = x.href(DavPath.parse(l.root()), false);
      w.start(DAV, "response");
      w.element(DAV, "href", href);
      w.element(DAV, "status", Status.line(Status.LOCKED));
      w.start(DAV, "error");
      w.start(DAV, "lock-token-submitted");
      w.element(DAV, "href", href);
      w.end();
      w.end();
      w.end();
    }
    w.end();
    w.flush();
  }
}
