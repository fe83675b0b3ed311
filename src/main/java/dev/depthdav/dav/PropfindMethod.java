package dev.depthdav.dav;

import dev.depthdav.dav.xml.BadRequestException;
import dev.depthdav.dav.xml.Depth;
import dev.depthdav.dav.xml.PropfindBody;
import dev.depthdav.dav.xml.XmlWriter;
import dev.depthdav.depth.Operation;
import dev.depthdav.lock.Lock;
import dev.depthdav.store.BlobStore;
import dev.depthdav.store.DavPath;
import dev.depthdav.store.Node;
import dev.depthdav.store.QName;
import dev.depthdav.store.Store;
import dev.depthdav.store.Tx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * PROPFIND (RFC 4918 §9.1). The multistatus is written while the tree is read from a database
 * cursor, one response at a time, so memory stays flat however large the tree; Depth: infinity
 * means the whole tree, never a truncated one.
 */
final class PropfindMethod implements Method {
  private static final String DAV = QName.DAV;

  @Override
  public void handle(Exchange x) throws IOException {
    Depth depth = parseDepth(x.header("Depth"));
    PropfindBody body;
    try {
      body = PropfindBody.parse(x.xmlBody());
    } catch (BadRequestException e) {
      throw new DavError(400, "invalid PROPFIND body: " + e.getMessage());
    }
    if (depth == Depth.ZERO) {
      list(x, depth, body);
    } else {
      x.operate(() -> {
        list(x, depth, body);
        return null;
      });
    }
  }

  /** Reads the tree in one snapshot and writes the multistatus as it goes. */
  private static void list(Exchange x, Depth depth, PropfindBody body) throws IOException {
    try {
      x.store.read(tx -> {
        Node target = tx.resolve(x.path())
            .orElseThrow(() -> new DavError(404, "no resource at " + x.path()));
        if (depth == Depth.INFINITY && target.collection()) {
          checkBudget(x, tx, target);
        }
        Operation op = x.operation;
        // One lookup for the whole request: with no live lock anywhere, no resource has any.
        boolean anyLocks = !tx.locks().all(x.now()).isEmpty();
        Supplier<Store.Space> space = once(x::space);
        try {
          XmlWriter w = x.multistatus();
          if (op != null) {
            op.phase("writing");
          }
          boolean dead = needsDead(body);
          Map<QName, String> targetProps = dead ? tx.properties(target.id()) : Map.of();
          walk(tx, target, targetProps, x.path(), depth, dead, (node, props, path) -> {
            response(x, w, node, props, path, body,
                () -> anyLocks ? x.visible(listed(tx.locks().covering(LockGate.key(path), x.now()),
                    path, x.path())) : List.of(),
                space, x.now());
            if (op != null) {
              op.advance(1);
            }
          });
          w.end();
          w.flush();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        return null;
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /**
   * RFC 4918 §9.1.1: a server may refuse Depth: infinity with 403 and DAV:propfind-finite-depth.
   * We refuse only trees larger than the configured budget, and say so before writing anything.
   */
  private static void checkBudget(Exchange x, Tx tx, Node target) {
    long budget = x.settings.propfindBudget();
    if (tx.resourcesAtMost() <= budget) {
      return; // the whole store is within the budget, in the snapshot the walk reads
    }
    Operation op = x.operation;
    if (op != null) {
      op.phase("counting");
    }
    long count = tx.countSubtree(target.id(), budget);
    if (op != null) {
      op.total(count);
    }
    if (count > budget) {
      throw new DavError(403, "propfind-finite-depth", "the tree holds " + count
          + " resources, more than the " + budget + " a Depth: infinity PROPFIND may list");
    }
  }

  /** RFC 4918 §9.1: a missing Depth means infinity; other values than 0, 1, infinity are 400. */
  static Depth parseDepth(String header) {
    try {
      return Depth.parse(header, Depth.INFINITY);
    } catch (BadRequestException e) {
      throw new DavError(400, e.getMessage());
    }
  }

  /** What to do with each resource of the walk: the resource and its dead properties. */
  @FunctionalInterface
  interface Visit {
    void accept(Node node, Map<QName, String> props, DavPath path);
  }

  /** Members read per query while walking: memory is this times the depth, at most. */
  private static final int PAGE = 256;

  /**
   * Visits {@code node} and, as {@code depth} says, its members, depth-first in name order. With
   * {@code dead}, each page of members comes with its dead properties in one more read. The walk
   * keeps its own stack of collections being listed, each with the name it reached, so a chain of
   * thousands of nested collections needs neither recursion nor a cursor per level.
   */
  static void walk(Tx tx, Node node, Map<QName, String> props, DavPath path, Depth depth,
      boolean dead, Visit visit) {
    visit.accept(node, props, path);
    if (!node.collection() || depth == Depth.ZERO) {
      return;
    }
    Deque<Frame> stack = new ArrayDeque<>();
    stack.push(new Frame(node.id(), path));
    while (!stack.isEmpty()) {
      Frame top = stack.peek();
      if (top.buffer.isEmpty()) {
        if (top.done) {
          stack.pop();
          continue;
        }
        List<Tx.Member> page = tx.page(top.id, top.after, PAGE, dead);
        top.buffer.addAll(page);
        top.done = page.size() < PAGE;
        continue;
      }
      Tx.Member m = top.buffer.poll();
      top.after = m.node().name();
      DavPath childPath = top.path.child(m.node().name());
      visit.accept(m.node(), m.props(), childPath);
      if (depth == Depth.INFINITY && m.node().collection()) {
        stack.push(new Frame(m.node().id(), childPath));
      }
    }
  }

  /** A collection being listed by {@link #walk}: where it is and how far the listing got. */
  private static final class Frame {
    final long id;
    final DavPath path;
    final Deque<Tx.Member> buffer = new ArrayDeque<>();
    String after;
    boolean done;

    Frame(long id, DavPath path) {
      this.id = id;
      this.path = path;
    }
  }


  /** Writes one DAV:response for a resource. */
  /**
   * The locks a resource's DAV:lockdiscovery lists: all that cover it (RFC 4918 §15.8). A lock
   * inherited from an ancestor that this same multistatus lists too (the request's target or
   * below it) goes without its owner, so that the owner XML is written once per listing, at the
   * lock's root, rather than once per member below it: DAV:owner is optional in an activelock
   * (RFC 4918 §14.1) and DAV:lockroot says where the whole lock is listed.
   */
  private static List<Lock> listed(List<Lock> covering, DavPath path, DavPath target) {
    String key = LockGate.key(path);
    String top = LockGate.key(target);
    return covering.stream().map(l -> l.root().equals(key)
        || !(l.root().equals(top) || Lock.isAncestor(top, l.root())) ? l : l.withoutOwner())
        .toList();
  }

  /** A supplier that asks {@code s} once, when first needed. */
  /**
   * Whether a quota property has no value: the store cannot tell its space, or (RFC 4331 §3) the
   * free bytes are unknown (an S3 bucket without a quota for the user), so it is not reported.
   */
  private static boolean unknown(QName q, Store.Space space) {
    return space == null
        || q.equals(LiveProps.QUOTA_AVAILABLE) && space.availableBytes() == BlobStore.UNKNOWN;
  }

  private static <T> Supplier<T> once(Supplier<T> s) {
    Object[] memo = new Object[1];
    boolean[] asked = new boolean[1];
    return () -> {
      if (!asked[0]) {
        memo[0] = s.get();
        asked[0] = true;
      }
      @SuppressWarnings("unchecked")
      T t = (T) memo[0];
      return t;
    };
  }

  private static void response(Exchange x, XmlWriter w, Node node, Map<QName, String> dead,
      DavPath path, PropfindBody body, Supplier<List<Lock>> locks, Supplier<Store.Space> space, Instant now) {
    w.start(DAV, "response");
    w.element(DAV, "href", x.href(path, node.collection()));
    switch (body.kind()) {
      case ALLPROP:
        allprop(w, node, dead, locks, now);
        break;
      case PROPNAME:
        propname(w, dead);
        break;
      default:
        named(w, node, dead, body.props(), locks, space, now);
        break;
    }
    w.end();
  }

  private static boolean needsDead(PropfindBody body) {
    if (body.kind() != PropfindBody.Kind.PROP) {
      return true;
    }
    for (QName q : body.props()) {
      if (!LiveProps.isLive(q) || q.equals(LiveProps.DISPLAYNAME)) {
        return true;
      }
    }
    return false;
  }

  private static void allprop(XmlWriter w, Node node, Map<QName, String> dead,
      Supplier<List<Lock>> locks, Instant now) {
    startPropstat(w);
    for (QName q : LiveProps.ALL) {
      if (!dead.containsKey(q)) {
        LiveProps.write(w, q, node, locks, now);
      }
    }
    dead.values().forEach(w::raw);
    endPropstat(w, 200);
  }

  private static void propname(XmlWriter w, Map<QName, String> dead) {
    startPropstat(w);
    for (QName q : LiveProps.ALL) {
      w.empty(q.namespace(), q.local());
    }
    for (QName q : dead.keySet()) {
      if (!LiveProps.isLive(q)) {
        w.empty(q.namespace(), q.local());
      }
    }
    endPropstat(w, 200);
  }

  private static void named(XmlWriter w, Node node, Map<QName, String> dead, List<QName> names,
      Supplier<List<Lock>> locks, Supplier<Store.Space> space, Instant now) {
    List<QName> missing = new ArrayList<>();
    boolean open = false;
    for (QName q : names) {
      String value = dead.get(q);
      boolean quota = LiveProps.QUOTA.contains(q);
      if (value == null && (!LiveProps.isLive(q)
          || quota && (!node.collection() || unknown(q, space.get())))) {
        missing.add(q);
        continue;
      }
      if (!open) {
        startPropstat(w);
        open = true;
      }
      if (value != null) {
        w.raw(value);
      } else if (quota) {
        LiveProps.writeQuota(w, q, space.get());
      } else {
        LiveProps.write(w, q, node, locks, now);
      }
    }
    if (open) {
      endPropstat(w, 200);
    }
    if (!missing.isEmpty()) {
      startPropstat(w);
      for (QName q : missing) {
        w.empty(q.namespace(), q.local());
      }
      endPropstat(w, 404);
    }
  }

  static void startPropstat(XmlWriter w) {
    w.start(DAV, "propstat");
    w.start(DAV, "prop");
  }

  static void endPropstat(XmlWriter w, int status) {
    w.end();
    w.element(DAV, "status", Status.line(status));
    w.end();
  }
}
