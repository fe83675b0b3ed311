package dev.depthdav.dav;

import dev.depthdav.store.DavPath;
import dev.depthdav.store.Node;
import java.io.IOException;

/** MKCOL (RFC 4918 §9.3). */
final class MkcolMethod implements Method {
  @Override
  public void handle(Exchange x) throws IOException {
    DavPath path = x.path();
    if (x.hasBody()) {
      // RFC 4918 §9.3.1: a body the server does not understand is 415.
      throw new DavError(415, "MKCOL with a request body is not supported");
    }
    if (x.isRoot(path)) {
      throw new DavError(405, "the root collection already exists");
    }
    x.store.write(tx -> {
      if (tx.resolve(path).isPresent()) {
        throw new DavError(405, "a resource already exists at " + path);
      }
      Node parent = Paths.parentCollection(tx, path);
      LockGate.open(x, tx).member(path).require();
      return tx.createCollection(parent.id(), path.name(), x.now());
    });
    x.resp.setHeader("Location", x.href(path, true));
    x.status(201);
  }
}
