package dev.depthdav.server;

import dev.depthdav.store.Store;
import dev.depthdav.store.h2.H2Check;
import dev.depthdav.store.h2.H2LockStore;
import dev.depthdav.store.h2.H2Store;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Command line entry point: {@code java -jar depthdav.jar [options]}. */
public final class Main {
  private static final Logger log = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("check")) {
      System.exit(check(Arrays.copyOfRange(args, 1, args.length)));
      return;
    }
    if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
      System.out.print(Config.usage());
      return;
    }
    Config config;
    try {
      config = Config.parse(args, System::getenv);
    } catch (Config.UsageException e) {
      System.err.println("depthdav: " + e.getMessage());
      System.err.print(Config.usage());
      System.exit(2);
      return;
    }
    H2Store store = H2Store.open(config.data(), config.storeSettings());
    DavServer server;
    try {
      server = DavServer.start(config, store, new H2LockStore(store));
    } catch (TlsFileException e) {
      store.close();
      System.err.println("depthdav: TLS: " + e.getMessage());
      System.exit(1);
      return;
    } catch (Exception e) {
      store.close();
      System.err.println("depthdav: cannot listen on " + config.bind() + ":" + config.port()
          + ": " + e.getMessage());
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(server, store), "shutdown"));
    log.info("depthdav serving {} from {}", server.uri(), config.data());
    server.join();
  }

  /**
   * {@code check --data DIR [--orphan-grace D] [--repair]}: verifies a stopped server's store;
   * with {@code --repair}, first removes the unreferenced blobs older than the grace period.
   * Exit 0 when consistent, 1 when not, 2 on bad usage.
   */
  static int check(String[] args) throws Exception {
    List<String> rest = new ArrayList<>(Arrays.asList(args));
    boolean repair = rest.remove("--repair");
    Config config;
    try {
      config = Config.parse(rest.toArray(String[]::new), System::getenv);
    } catch (Config.UsageException e) {
      System.err.println("depthdav check: " + e.getMessage());
      return 2;
    }
    try (H2Store store = H2Store.openForCheck(config.data())) {
      Instant now = Instant.now();
      if (repair) {
        int gone = H2Check.repair(store, config.orphanGrace(), now);
        System.out.println("check --repair: removed " + gone + " unreferenced blobs older than "
            + config.orphanGrace());
      }
      H2Check.Report r = H2Check.run(store, config.orphanGrace(), now);
      System.out.println("check: " + r.rows() + " rows, " + r.blobs() + " referenced blobs in "
          + config.data());
      r.problems().forEach(p -> System.out.println("problem: " + p));
      r.unreferencedBlobs().forEach(h -> System.out.println("unreferenced blob: " + h));
      System.out.println(r.problems().isEmpty() ? "check: OK"
          : "check: " + r.problems().size() + " problems");
      return r.problems().isEmpty() ? 0 : 1;
    }
  }

  private static void stop(DavServer server, Store store) {
    try {
      server.close();
    } catch (Exception e) {
      log.warn("stopping the HTTP server failed", e);
    }
    store.close();
    log.info("depthdav stopped");
  }
}
