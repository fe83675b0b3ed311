package dev.depthdav.dav;

import dev.depthdav.store.DavPath;
import dev.depthdav.store.Store;
import io.milton.http.ResourceFactory;
import io.milton.resource.Resource;

/** Gives milton a read-only view of the store for GET and HEAD. */
final class NodeResourceFactory implements ResourceFactory {
  private final Store store;

  NodeResourceFactory(Store store) {
    this.store = store;
  }

  @Override
  public Resource getResource(String host, String path) {
    DavPath p;
    try {
      p = DavPath.parse(path.isEmpty() ? "/" : path);
    } catch (IllegalArgumentException e) {
      return null;
    }
    return store.read(tx -> tx.resolve(p)).map(n -> new NodeResource(store, n, p)).orElse(null);
  }
}
