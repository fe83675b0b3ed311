package dev.depthdav.server;

import dev.depthdav.auth.Authenticator;
import dev.depthdav.store.Store;
import dev.depthdav.store.StoreSettings;
import dev.depthdav.store.jdbc.JdbcCheck;
import dev.depthdav.store.jdbc.JdbcStore;
import dev.depthdav.store.jdbc.JdbcUsers;
import java.io.IOException;
import java.io.PrintStream;
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
    if (args.length > 0 && args[0].equals("user")) {
      System.exit(user(Arrays.copyOfRange(args, 1, args.length), System.in, System.console(),
          System.out, System.err));
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
    JdbcStore store = config.db().open(config.data(), config.storeSettings(), true);
    JdbcUsers users = new JdbcUsers(store);
    Authenticator auth;
    try {
      auth = DavServer.authenticator(config, users);
    } catch (IOException e) {
      store.close();
      System.err.println("depthdav: cannot read --htpasswd " + config.security().htpasswd()
          + ": " + e.getMessage());
      System.exit(1);
      return;
    }
    String refusal = exposure(config, auth);
    if (refusal != null) {
      store.close();
      System.err.println("depthdav: " + refusal);
      System.exit(1);
      return;
    }
    DavServer server;
    try {
      server = DavServer.start(config, store, auth);
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
    Control control = control(config, users, store);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        if (control != null) {
          control.close();
        }
      } catch (IOException e) {
        log.warn("closing the control socket failed: {}", e.toString());
      }
      stop(server, store);
    }, "shutdown"));
    log.info("depthdav serving {} from {} (database: {})", server.uri(), config.data(),
        config.db());
    server.join();
  }

  /** The control socket for {@code depthdav user} on a running server; null when it failed. */
  private static Control control(Config config, JdbcUsers users, JdbcStore store) {
    try {
      return Control.serve(config.data(), (a, out) -> {
        try {
          UserCommand.run(a, users, store, out);
          return 0;
        } catch (UserCommand.Refused e) {
          out.println("depthdav user: " + e.getMessage());
          return 1;
        }
      });
    } catch (IOException | RuntimeException e) {
      log.warn("no control socket ({}): stop the server to change its users", e.toString());
      return null;
    }
  }

  /**
   * Why the server must not start as configured, or null. Off loopback, a server without
   * accounts and without {@code --anonymous read} would give everyone on the network every
   * file: it refuses to start. Off loopback without TLS it starts, and says loudly what that
   * means.
   */
  static String exposure(Config config, Authenticator auth) {
    if (Security.loopback(config.bind())) {
      return null;
    }
    if (!auth.hasUsers() && config.security().anonymous() == Authenticator.Anonymous.NONE) {
      return "refusing to serve " + config.bind() + " (not a loopback address) with no users: "
          + "anyone who reaches it could read, change and delete every file. Add a user "
          + "(depthdav user add NAME --data " + config.data() + "), or start with "
          + "--anonymous read to share read-only on purpose.";
    }
    if (config.tls().enabled()) {
      return null;
    }
    if (!config.security().allowBasicOverHttp()) {
      log.warn("WARNING: serving {} without TLS: clients off this machine cannot log in with "
          + "Basic (it would send passwords in the clear){}; use TLS, or "
          + "--allow-basic-over-http behind a TLS-terminating proxy", config.bind(),
          config.security().digest() ? ", only with Digest" : "");
    } else {
      log.warn("WARNING: serving {} without TLS and accepting Basic credentials over plain "
          + "HTTP: passwords cross the network in the clear unless a TLS proxy is in front",
          config.bind());
    }
    return null;
  }

  /**
   * {@code user add|passwd|remove|list [--data DIR] ...}: manages accounts, through the running
   * server's control socket when one runs on the data folder, else on the stopped store.
   * Exit 0 on success, 1 when refused, 2 on bad usage.
   */
  static int user(String[] args, java.io.InputStream in, java.io.Console console,
      PrintStream out, PrintStream err) throws Exception {
    List<String> rest = new ArrayList<>(Arrays.asList(args));
    if (rest.isEmpty() || rest.contains("--help") || rest.contains("-h")) {
      out.print(UserCommand.USAGE);
      return rest.isEmpty() ? 2 : 0;
    }
    // Where the store is: the server's own flags (and their variables), taken out of the rest.
    List<String> dataArgs = new ArrayList<>();
    for (String flag : List.of("--data", "--db", "--db-user", "--db-password", "--blobs",
        "--s3-endpoint", "--s3-region", "--s3-access-key", "--s3-secret-key")) {
      int at = rest.indexOf(flag);
      if (at >= 0 && at + 1 < rest.size()) {
        dataArgs.add(rest.remove(at));
        dataArgs.add(rest.remove(at));
      }
    }
    int style = rest.indexOf("--s3-path-style"); // a switch: its on or off is optional
    if (style >= 0) {
      rest.remove(style);
      boolean given = style < rest.size() && List.of("on", "off").contains(rest.get(style));
      dataArgs.add("--s3-path-style=" + (given ? rest.remove(style) : "on"));
    }
    Config config;
    List<String> prepared;
    try {
      config = Config.parse(dataArgs.toArray(String[]::new), System::getenv);
      prepared = UserCommand.prepare(rest, in, console);
    } catch (Config.UsageException | UserCommand.Refused e) {
      err.println("depthdav user: " + e.getMessage());
      err.print(UserCommand.USAGE);
      return 2;
    }
    int code = Control.send(config.data(), prepared, out);
    if (code >= 0) {
      return code;
    }
    try (JdbcStore store = config.db().open(config.data(), StoreSettings.DEFAULTS, false)) {
      UserCommand.run(prepared, new JdbcUsers(store), store, out);
      return 0;
    } catch (UserCommand.Refused e) {
      err.println("depthdav user: " + e.getMessage());
      return 1;
    }
  }

  /**
   * {@code check --data DIR [--orphan-grace D] [--repair]}: verifies a stopped server's store;
   * with {@code --repair}, first removes the unreferenced blobs older than the grace period.
   * Exit 0 when consistent, 1 when not, 2 on bad usage.
   */
  static int check(String[] args) throws Exception {
    return check(args, System.out, System.err);
  }

  static int check(String[] args, PrintStream out, PrintStream err) throws Exception {
    List<String> rest = new ArrayList<>(Arrays.asList(args));
    boolean repair = rest.remove("--repair");
    Config config;
    try {
      config = Config.parse(rest.toArray(String[]::new), System::getenv);
    } catch (Config.UsageException e) {
      err.println("depthdav check: " + e.getMessage());
      return 2;
    }
    try (JdbcStore store = config.db().open(config.data(), StoreSettings.DEFAULTS, false)) {
      Instant now = Instant.now();
      if (repair) {
        int gone = JdbcCheck.repair(store, config.orphanGrace(), now);
        out.println("check --repair: removed " + gone + " unreferenced blobs older than "
            + config.orphanGrace());
      }
      JdbcCheck.Report r = JdbcCheck.run(store, config.orphanGrace(), now);
      out.println("check: " + r.rows() + " rows, " + r.blobs() + " referenced blobs in "
          + config.data());
      r.problems().forEach(p -> out.println("problem: " + p));
      r.unreferencedBlobs().forEach(h -> out.println("unreferenced blob: " + h));
      out.println(r.problems().isEmpty() ? "check: OK"
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
