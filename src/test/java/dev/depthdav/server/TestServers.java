package dev.depthdav.server;

import dev.depthdav.store.h2.H2LockStore;
import dev.depthdav.store.h2.H2Store;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.Map;

/** Starts the real server (H2 store, Jetty) on 127.0.0.1 with an ephemeral port. */
public final class TestServers {
  private static final Map<DavServer, H2Store> STORES = new IdentityHashMap<>();

  private TestServers() {}

  public static synchronized DavServer start(Path data) throws Exception {
    H2Store store = H2Store.open(data);
    DavServer server = DavServer.start(new Config(0, "127.0.0.1", data, 1 << 20), store,
        new H2LockStore(store));
    STORES.put(server, store);
    return server;
  }

  public static synchronized void stop(DavServer server) throws Exception {
    if (server != null) {
      server.close();
      STORES.remove(server).close();
    }
  }
}
