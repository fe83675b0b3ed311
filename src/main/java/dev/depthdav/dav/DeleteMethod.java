package dev.depthdav.dav;

import dev.depthdav.dav.xml.BadRequestException;
import dev.depthdav.dav.xml.Depth;
import dev.depthdav.store.Node;
import java.io.IOException;

/**
 * DELETE (RFC 4918 §9.6). A collection is detached in constant time, whatever its size: its name
 * is free and its members gone when the transaction commits; a background purger frees the rows.
 */
final class DeleteMethod implements Method {
  @Override
  public void handle(Exchange x) throws IOException {
    if (x.path().isRoot()) {
      throw new DavError(403, "refusing to delete the root collection");
    }
    Depth depth;
    try {
      depth = Depth.parse(x.header("Depth"), Depth.INFINITY);
    } catch (BadRequestException e) {
      throw new DavError(400, e.getMessage());
    }
    x.operate(() -> x.store.write(tx -> {
      x.operation.phase("deleting");
      Node target = tx.resolve(x.path())
          .orElseThrow(() -> new DavError(404, "no resource at " + x.path()));
      // RFC 4918 §9.6.1: DELETE on a collection acts as if Depth: infinity; any other value is 400.
      if (target.collection() && depth != Depth.INFINITY) {
        throw new DavError(400, "DELETE of a collection needs Depth: infinity");
      }
      Preconditions.check(x, target);
      LockGate.open(x, tx).tree(x.path()).membership(x.path()).require();
      tx.detach(target.id());
      // RFC 4918 §9.6.1: the locks of what is deleted go with it.
      x.locks.removeWithin(LockGate.key(x.path()));
      return null;
    }));
    x.store.purgeSoon();
    x.status(204);
  }
}
