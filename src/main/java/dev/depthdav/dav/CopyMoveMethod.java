package dev.depthdav.dav;

import dev.depthdav.dav.xml.BadRequestException;
import dev.depthdav.dav.xml.Depth;
import dev.depthdav.dav.xml.Destination;
import dev.depthdav.dav.xml.Overwrite;
import dev.depthdav.store.DavPath;
import dev.depthdav.store.Node;
import dev.depthdav.store.Tx;
import java.io.IOException;
import java.util.Optional;

/**
 * COPY and MOVE (RFC 4918 §9.8, §9.9), each one transaction: the destination holds the whole
 * result or nothing. MOVE is one row update; COPY is set-based and shares blobs.
 */
final class CopyMoveMethod implements Method {
  private final boolean move;

  CopyMoveMethod(boolean move) {
    this.move = move;
  }

  @Override
  public void handle(Exchange x) throws IOException {
    DavPath source = x.path();
    DavPath dest = destination(x);
    boolean overwrite;
    Depth depth;
    try {
      overwrite = Overwrite.parse(x.header("Overwrite"));
      depth = Depth.parse(x.header("Depth"), Depth.INFINITY);
    } catch (BadRequestException e) {
      throw new DavError(400, e.getMessage());
    }
    if (depth == Depth.ONE) {
      throw new DavError(400, "Depth: 1 is not allowed on " + (move ? "MOVE" : "COPY"));
    }
    if (x.isRoot(source)) {
      throw new DavError(403, "cannot " + (move ? "move" : "copy") + " the root collection");
    }
    boolean[] collection = new boolean[1];
    boolean created = x.operate(() -> {
      x.operation.phase(move ? "moving" : "copying");
      return x.store.write(tx -> {
        collection[0] = tx.resolve(source).map(Node::collection).orElse(false);
        boolean fresh = apply(x, tx, source, dest, overwrite, depth);
        x.operation.phase("committing");
        return fresh;
      });
    });
    x.resp.setHeader("Location", x.href(dest, collection[0])); // a collection's ends in /
    x.status(created ? 201 : 204);
  }

  /** Does the copy or move; returns true when the destination did not exist before. */
  private boolean apply(Exchange x, Tx tx, DavPath source, DavPath dest, boolean overwrite,
      Depth depth) {
    Node src = tx.resolve(source)
        .orElseThrow(() -> new DavError(404, "no resource at " + source));
    Preconditions.check(x, src);
    if (move && src.collection() && depth != Depth.INFINITY) {
      // RFC 4918 §9.9.2: MOVE of a collection acts as Depth: infinity; other values are refused.
      throw new DavError(400, "MOVE of a collection needs Depth: infinity");
    }
    if (source.equals(dest)) {
      throw new DavError(403, "source and destination are the same resource");
    }
    if (source.isSameOrAncestorOf(dest)) {
      throw new DavError(403, "destination " + dest + " is inside the source " + source);
    }
    if (x.isRoot(dest) || dest.isSameOrAncestorOf(source)) {
      throw new DavError(403, "destination " + dest + " contains the source " + source);
    }
    Node parent = Paths.parentCollection(tx, dest);
    Optional<Node> existing = tx.child(parent.id(), dest.name());
    LockGate gate = LockGate.open(x, tx);
    if (move) {
      gate.tree(source).membership(source);
    }
    gate.member(dest);
    if (existing.isPresent()) {
      gate.tree(dest);
    }
    gate.require();
    if (!move) {
      checkQuota(x, tx, src, existing.orElse(null), depth);
    }
    if (existing.isPresent()) {
      if (!overwrite) {
        throw new DavError(412, "destination " + dest + " exists and Overwrite is F");
      }
      // RFC 4918 §9.8.4 / §9.9.3: the destination is deleted before the copy or move.
      tx.detach(existing.get().id());
      tx.locks().removeWithin(LockGate.key(dest));
    }
    if (!move && depth == Depth.INFINITY && src.collection()) {
      x.operation.total(tx.countSubtree(src.id(), Long.MAX_VALUE));
    }
    if (move) {
      // RFC 4918 §7.5 / §9.9: a moved resource does not take its locks along.
      tx.locks().removeWithin(LockGate.key(source));
      tx.move(src.id(), parent.id(), dest.name(), x.now());
    } else {
      tx.copy(src.id(), parent.id(), dest.name(), depth == Depth.INFINITY, x.now(),
          x.operation::advance);
    }
    return existing.isEmpty();
  }

  /**
   * A copy counts in full against the user's quota (RFC 4331 §1: the quota is of what the user
   * stores), although the store shares the content and copies no bytes: the replaced
   * destination's bytes are given back. A move stays in the user's own tree and changes nothing.
   */
  private static void checkQuota(Exchange x, Tx tx, Node src, Node existing, Depth depth) {
    long left = x.quotaLeft(tx);
    if (left == Long.MAX_VALUE) {
      return;
    }
    long needed = !src.collection() ? src.length()
        : depth == Depth.INFINITY ? tx.bytesBelow(src.id()) : 0;
    long freed = existing == null ? 0 : tx.bytesBelow(existing.id());
    if (needed - freed > left) {
      throw PutMethod.overQuota(x, needed - freed, left);
    }
  }

  private static DavPath destination(Exchange x) {
    try {
      DavPath visible = Destination.parse(x.header("Destination"), x.req.getScheme(),
          x.req.getServerName(), x.req.getServerPort());
      if (AdminEndpoint.owns(visible)) {
        throw new DavError(403, "/" + AdminEndpoint.RESERVED + "/ is reserved for administration");
      }
      return x.toStore(visible);
    } catch (Destination.OtherServerException e) {
      throw new DavError(502, "Destination is on another server: " + e.getMessage());
    } catch (BadRequestException e) {
      throw new DavError(400, e.getMessage());
    }
  }
}
