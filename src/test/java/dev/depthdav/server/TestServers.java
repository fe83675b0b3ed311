package dev.depthdav.server;

import dev.depthdav.testing.SimpleMemStore;
import java.nio.file.Path;

public final class TestServers {
  private TestServers() {}

  public static synchronized DavServer start(Path data) throws Exception {
    return DavServer.start(new Config(0, "127.0.0.1", data, 1 << 20), new SimpleMemStore(data));
  }

  public static synchronized void stop(DavServer server) throws Exception {
    if (server != null) {
      server.close();
    }
  }
}
