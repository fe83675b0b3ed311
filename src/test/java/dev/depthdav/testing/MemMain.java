package dev.depthdav.testing;

import dev.depthdav.server.Config;
import dev.depthdav.server.DavServer;
import java.nio.file.Files;

/** Runs the server on the throwaway in-memory store (development only). */
public final class MemMain {
  public static void main(String[] args) throws Exception {
    DavServer s = DavServer.start(new Config(Integer.parseInt(args[0]), "127.0.0.1",
        Files.createTempDirectory("mem"), 1 << 20), new SimpleMemStore(
        Files.createTempDirectory("blobs")));
    System.out.println("depthdav serving " + s.uri() + " from memory");
    s.join();
  }
}
