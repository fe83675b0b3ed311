package dev.depthdav.server;

import dev.depthdav.store.Store;
import dev.depthdav.store.jdbc.JdbcStore;
import dev.depthdav.store.jdbc.JdbcUsers;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Starts the real server (H2 store, Jetty) on 127.0.0.1 with an ephemeral port. */
public final class TestServers {
  private static final Map<DavServer, JdbcStore> STORES = new IdentityHashMap<>();
  private static final Map<DavServer, JdbcUsers> USERS = new IdentityHashMap<>();

  private TestServers() {}

  public static synchronized DavServer start(Path data) throws Exception {
    return start(data, c -> c, s -> s);
  }

  /** Starts with an adjusted configuration and the store seen through {@code wrap}. */
  public static synchronized DavServer start(Path data, UnaryOperator<Config> adjust,
      UnaryOperator<Store> wrap) throws Exception {
    JdbcStore store = JdbcStore.open(data);
    JdbcUsers users = new JdbcUsers(store);
    DavServer server;
    try {
      server = DavServer.start(adjust.apply(Config.defaults(0, "127.0.0.1", data)),
          wrap.apply(store), users);
    } catch (Exception e) {
      store.close(); // a server that did not start leaves the data folder free for the next
      throw e;
    }
    STORES.put(server, store);
    USERS.put(server, users);
    return server;
  }

  /** The store a server started here runs on. */
  public static synchronized JdbcStore store(DavServer server) {
    return STORES.get(server);
  }

  /**
   * The accounts a server started here checks: changes through them reach its caches at once
   * (another {@link JdbcUsers} on the same store has its own generation counter).
   */
  public static synchronized JdbcUsers users(DavServer server) {
    return USERS.get(server);
  }

  public static synchronized void stop(DavServer server) throws Exception {
    if (server != null) {
      server.close();
      USERS.remove(server);
      STORES.remove(server).close();
    }
  }
}
