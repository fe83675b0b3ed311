package dev.depthdav.server;

import dev.depthdav.auth.Authenticator;
import dev.depthdav.depth.ClientPolicy;
import dev.depthdav.depth.Processing;
import dev.depthdav.store.StoreSettings;
import dev.depthdav.store.s3.S3Location;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Everything the server is started with. Each setting comes from a flag, else from the
 * environment variable named beside it, else from its default.
 *
 * @param port TCP port to listen on
 * @param bind address to bind (loopback by default: exposing a server is a deliberate act)
 * @param data folder for the database and the blobs
 * @param maxXmlBody largest accepted XML request body, in bytes
 * @param lockTimeout lock lifetime when a LOCK asks for none
 * @param maxLockTimeout longest lock lifetime granted; Infinite means this
 * @param depthWorkers threads that run depth operations
 * @param depthQueue depth operations that may wait for a thread before 503
 * @param processing when and to whom 102 Processing goes
 * @param propfindBudget most resources a Depth: infinity PROPFIND may list
 * @param fsync force each upload's bytes and name to disk before answering
 * @param orphanGrace age past which an unreferenced blob is removed and reported by check
 * @param minFreeSpace bytes kept free on the data folder's file system (507 for writes past it)
 * @param maxLocksPerResource most locks rooted at one resource
 * @param maxLocksPerPrincipal most live locks one principal holds
 * @param minUploadRate slowest request body accepted, bytes per second (408 below it; 0: none)
 * @param maxUploads request bodies of PUT read at once (503 past it)
 * @param maxAsyncResult largest captured result of an asynchronous operation, in bytes
 * @param security who may reach the server and how
 * @param db the database of the store: H2 in the data folder, or PostgreSQL
 * @param tls TLS on the main port, the plain HTTP redirect port and certificate reloading
 *     ({@link TlsSettings#OFF} when the server speaks plain HTTP)
 * @param nodeTimeout how long a node sharing the database may go without a heartbeat before
 *     the others report its unfinished operations as failed
 */
public record Config(int port, String bind, Path data, long maxXmlBody, Duration lockTimeout,
    Duration maxLockTimeout, int depthWorkers, int depthQueue, Processing processing,
    long propfindBudget, boolean fsync, Duration orphanGrace, long minFreeSpace,
    int maxLocksPerResource, int maxLocksPerPrincipal, long minUploadRate, int maxUploads,
    long maxAsyncResult, Security security, TlsSettings tls, Database db, Duration nodeTimeout) {

  /**
   * Every flag at its default (the table below is the one place defaults are written), on the
   * given port, address and data folder: for tests and tools that build a server by hand.
   */
  public static Config defaults(int port, String bind, Path data) {
    try {
      return parse(new String[] {"--port", Integer.toString(port), "--bind", bind, "--data",
          data.toString()}, name -> null);
    } catch (UsageException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** The same configuration with other 102 settings (tests). */
  public Config withProcessing(Processing p) {
    return new Config(port, bind, data, maxXmlBody, lockTimeout, maxLockTimeout, depthWorkers,
        depthQueue, p, propfindBudget, fsync, orphanGrace, minFreeSpace,
        maxLocksPerResource, maxLocksPerPrincipal, minUploadRate, maxUploads, maxAsyncResult,
        security, tls, db, nodeTimeout);
  }

  /** The same configuration with another PROPFIND budget (tests). */
  public Config withPropfindBudget(long budget) {
    return new Config(port, bind, data, maxXmlBody, lockTimeout, maxLockTimeout, depthWorkers,
        depthQueue, processing, budget, fsync, orphanGrace, minFreeSpace,
        maxLocksPerResource, maxLocksPerPrincipal, minUploadRate, maxUploads, maxAsyncResult,
        security, tls, db, nodeTimeout);
  }

  /** The same configuration with other lock caps (tests). */
  public Config withLockCaps(int perResource, int perPrincipal) {
    return new Config(port, bind, data, maxXmlBody, lockTimeout, maxLockTimeout, depthWorkers,
        depthQueue, processing, propfindBudget, fsync, orphanGrace, minFreeSpace,
        perResource, perPrincipal, minUploadRate, maxUploads, maxAsyncResult,
        security, tls, db, nodeTimeout);
  }

  /** The same configuration with other upload limits (tests). */
  public Config withUploads(long minRate, int max) {
    return new Config(port, bind, data, maxXmlBody, lockTimeout, maxLockTimeout, depthWorkers,
        depthQueue, processing, propfindBudget, fsync, orphanGrace, minFreeSpace,
        maxLocksPerResource, maxLocksPerPrincipal, minRate, max, maxAsyncResult,
        security, tls, db, nodeTimeout);
  }

  /** The same configuration with another limit on captured async results (tests). */
  public Config withMaxAsyncResult(long bytes) {
    return new Config(port, bind, data, maxXmlBody, lockTimeout, maxLockTimeout, depthWorkers,
        depthQueue, processing, propfindBudget, fsync, orphanGrace, minFreeSpace,
        maxLocksPerResource, maxLocksPerPrincipal, minUploadRate, maxUploads, bytes, security,
        tls, db, nodeTimeout);
  }

  /** The same configuration with other security settings (tests). */
  public Config withSecurity(Security s) {
    return new Config(port, bind, data, maxXmlBody, lockTimeout, maxLockTimeout, depthWorkers,
        depthQueue, processing, propfindBudget, fsync, orphanGrace, minFreeSpace,
        maxLocksPerResource, maxLocksPerPrincipal, minUploadRate, maxUploads, maxAsyncResult, s,
        tls, db, nodeTimeout);
  }

  /** The same configuration with another worker pool size (tests). */
  public Config withWorkers(int workers, int queue) {
    return new Config(port, bind, data, maxXmlBody, lockTimeout, maxLockTimeout, workers, queue,
        processing, propfindBudget, fsync, orphanGrace, minFreeSpace,
        maxLocksPerResource, maxLocksPerPrincipal, minUploadRate, maxUploads, maxAsyncResult,
        security, tls, db, nodeTimeout);
  }

  /** The same configuration with other TLS settings (tests). */
  public Config withTls(TlsSettings t) {
    return new Config(port, bind, data, maxXmlBody, lockTimeout, maxLockTimeout, depthWorkers,
        depthQueue, processing, propfindBudget, fsync, orphanGrace, minFreeSpace,
        maxLocksPerResource, maxLocksPerPrincipal, minUploadRate, maxUploads, maxAsyncResult,
        security, t, db, nodeTimeout);
  }

  /** One setting: its flag, environment variable, default and help text. */
  record Option(String flag, String env, String fallback, String help) {}

  static final Map<String, Option> OPTIONS = new LinkedHashMap<>();

  static {
    add("--port", "DEPTHDAV_PORT", "8080", "TCP port to listen on (0 picks a free one)");
    add("--bind", "DEPTHDAV_BIND", "127.0.0.1", "address to listen on");
    add("--data", "DEPTHDAV_DATA", "./data", "folder for the H2 database and the blobs");
    add("--max-xml-body", "DEPTHDAV_MAX_XML_BODY", "1048576", "largest XML request body in bytes");
    add("--lock-timeout", "DEPTHDAV_LOCK_TIMEOUT", "1h", "lock lifetime when the client asks none");
    add("--max-lock-timeout", "DEPTHDAV_MAX_LOCK_TIMEOUT", "24h",
        "longest lock lifetime granted (Infinite included)");
    add("--depth-workers", "DEPTHDAV_DEPTH_WORKERS", "4", "threads for depth operations");
    add("--depth-queue", "DEPTHDAV_DEPTH_QUEUE", "32",
        "depth operations that may wait for a thread (503 past it)");
    add("--processing", "DEPTHDAV_PROCESSING", "on", "send 102 Processing at all (on/off)");
    add("--processing-after", "DEPTHDAV_PROCESSING_AFTER", "20s", "first 102 after this");
    add("--processing-interval", "DEPTHDAV_PROCESSING_INTERVAL", "20s", "then one every this");
    add("--processing-max", "DEPTHDAV_PROCESSING_MAX", "128", "most 102s in one request");
    add("--processing-clients", "DEPTHDAV_PROCESSING_CLIENTS", "",
        "extra User-Agent rules TEXT=MAX,... before the built-in ones");
    add("--processing-unknown", "DEPTHDAV_PROCESSING_UNKNOWN", "0",
        "most 102s for a User-Agent no rule names");
    add("--propfind-budget", "DEPTHDAV_PROPFIND_BUDGET", "1000000",
        "most resources a Depth: infinity PROPFIND lists (403 past it)");
    add("--fsync", "DEPTHDAV_FSYNC", "on",
        "force each upload to disk before answering (on/off; off loses recent uploads on power loss)");
    add("--max-locks-per-resource", "DEPTHDAV_MAX_LOCKS_PER_RESOURCE", "32",
        "most locks rooted at one resource (423 past it)");
    add("--max-locks", "DEPTHDAV_MAX_LOCKS", "10000",
        "most live locks one principal holds (403 past it)");
    add("--min-upload-rate", "DEPTHDAV_MIN_UPLOAD_RATE", "1024",
        "slowest request body accepted in bytes per second; slower ones get 408 (0: no limit)");
    add("--max-uploads", "DEPTHDAV_MAX_UPLOADS", "128",
        "PUT bodies read at once, so slow uploads cannot take every thread (503 past it)");
    add("--max-async-result", "DEPTHDAV_MAX_ASYNC_RESULT", "268435456",
        "largest result kept for a Prefer: respond-async operation, in bytes (507 past it)");
    add("--orphan-grace", "DEPTHDAV_ORPHAN_GRACE",
        Durations.format(StoreSettings.DEFAULTS.orphanGrace()),
        "age past which content no resource names is deleted (and reported by check)");
    add("--min-free-space", "DEPTHDAV_MIN_FREE_SPACE",
        Long.toString(StoreSettings.DEFAULTS.minFreeBytes()),
        "bytes kept free on the data folder's file system; writes past it get 507");
    add("--anonymous", "DEPTHDAV_ANONYMOUS", "none",
        "what clients without credentials may do: none, or read (read-only access to all)");
    add("--allow-basic-over-http", "DEPTHDAV_ALLOW_BASIC_OVER_HTTP", "off",
        "accept Basic credentials without TLS off loopback (only behind a TLS proxy)");
    add("--htpasswd", "DEPTHDAV_HTPASSWD", "",
        "an Apache htpasswd file (bcrypt entries) of further users, re-read when it changes");
    add("--digest", "DEPTHDAV_DIGEST", "off",
        "also offer Digest (RFC 7616), on plain HTTP too, for users added with --digest (on/off)");
    add("--allowed-hosts", "DEPTHDAV_ALLOWED_HOSTS", "",
        "host names requests may name, comma-separated (default: loopback names when bound "
        + "to loopback, any otherwise; * for any)");
    add("--max-upload", "DEPTHDAV_MAX_UPLOAD", "0",
        "largest PUT body in bytes (413 past it; 0: no limit)");
    add("--tls-cert", "DEPTHDAV_TLS_CERT", "",
        "PEM certificate chain, leaf first (fullchain.pem); turns TLS on with --tls-key");
    add("--tls-key", "DEPTHDAV_TLS_KEY", "",
        "PEM private key of the leaf (privkey.pem: PKCS#8, RSA or EC)");
    add("--tls-keystore", "DEPTHDAV_TLS_KEYSTORE", "",
        "PKCS#12 file with key and chain, instead of --tls-cert and --tls-key");
    add("--tls-keystore-password", "DEPTHDAV_TLS_KEYSTORE_PASSWORD", "",
        "its password; prefer the variable: a flag shows in ps");
    add("--tls-client-ca", "DEPTHDAV_TLS_CLIENT_CA", "",
        "PEM CA certificates; clients must present a certificate one of them signed");
    add("--tls-reload", "DEPTHDAV_TLS_RELOAD", Durations.format(TlsSettings.OFF.reload()),
        "how often the TLS files are checked for a renewed certificate");
    add("--redirect-http", "DEPTHDAV_REDIRECT_HTTP", "",
        "with TLS, a plain HTTP port answering 308 to the https URL (empty or 0: none)");
  }

  static {
    add("--db", "DEPTHDAV_DB", "",
        "JDBC URL of a PostgreSQL database for the store (empty: H2 in the data folder)");
    add("--db-user", "DEPTHDAV_DB_USER", "", "the database user");
    add("--db-password", "DEPTHDAV_DB_PASSWORD", "",
        "the database password; prefer the variable: a flag shows in ps");
    add("--blobs", "DEPTHDAV_BLOBS", "",
        "file:DIR, the folder of the file contents, or s3://BUCKET[/PREFIX], an S3 bucket "
        + "(empty: blobs/ in the data folder)");
    add("--s3-endpoint", "DEPTHDAV_S3_ENDPOINT", "",
        "URL of the S3-compatible service (empty: AWS's endpoint for --s3-region)");
    add("--s3-region", "DEPTHDAV_S3_REGION", "us-east-1", "the S3 signing region");
    add("--s3-path-style", "DEPTHDAV_S3_PATH_STYLE", "off",
        "name the bucket in the URL's path, not its host (on/off; self-hosted services usually "
        + "need on)");
    add("--s3-access-key", "DEPTHDAV_S3_ACCESS_KEY", "",
        "the S3 access key (empty: the AWS SDK's defaults, AWS_ACCESS_KEY_ID first)");
    add("--s3-secret-key", "DEPTHDAV_S3_SECRET_KEY", "",
        "its secret (AWS_SECRET_ACCESS_KEY when empty); prefer a variable: a flag shows in ps");
    add("--node-timeout", "DEPTHDAV_NODE_TIMEOUT", "30s",
        "with a shared --db: how long a node goes unheard before others report its operations "
        + "as failed");
  }

  /** Flags that may stand alone, meaning "on". */
  private static final java.util.Set<String> SWITCHES = java.util.Set.of(
      "--allow-basic-over-http", "--digest", "--s3-path-style");

  private static void add(String flag, String env, String fallback, String help) {
    OPTIONS.put(flag, new Option(flag, env, fallback, help));
  }

  /** Thrown for an unknown flag or a bad value; the message says which. */
  static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  /** Parses flags ({@code --name value} or {@code --name=value}) over environment defaults. */
  static Config parse(String[] args, Function<String, String> env) throws UsageException {
    Map<String, String> values = new LinkedHashMap<>();
    for (Option o : OPTIONS.values()) {
      String fromEnv = env.apply(o.env());
      values.put(o.flag(), fromEnv != null && !fromEnv.isBlank() ? fromEnv : o.fallback());
    }
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String flag = arg;
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        flag = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      }
      if (!OPTIONS.containsKey(flag)) {
        throw new UsageException("unknown option: " + arg);
      }
      if (value == null && SWITCHES.contains(flag)
          && (i + 1 >= args.length || args[i + 1].startsWith("--"))) {
        value = "on";
      }
      if (value == null) {
        if (i + 1 >= args.length) {
          throw new UsageException(flag + " needs a value");
        }
        value = args[++i];
      }
      values.put(flag, value);
    }
    return new Config(
        intValue(values, "--port", 0, 65535),
        values.get("--bind"),
        Path.of(values.get("--data")).toAbsolutePath().normalize(),
        longValue(values, "--max-xml-body", 1),
        duration(values, "--lock-timeout"),
        duration(values, "--max-lock-timeout"),
        intValue(values, "--depth-workers", 1, 256),
        intValue(values, "--depth-queue", 1, 100_000),
        processing(values),
        longValue(values, "--propfind-budget", 1),
        onOff(values, "--fsync"),
        duration(values, "--orphan-grace"),
        longValue(values, "--min-free-space", 0),
        intValue(values, "--max-locks-per-resource", 1, 1_000_000),
        intValue(values, "--max-locks", 1, 100_000_000),
        longValue(values, "--min-upload-rate", 0),
        intValue(values, "--max-uploads", 1, 10_000),
        longValue(values, "--max-async-result", 1),
        security(values),
        tls(values),
        database(values),
        duration(values, "--node-timeout"));
  }

  private static Security security(Map<String, String> v) throws UsageException {
    String anon = v.get("--anonymous").trim();
    Authenticator.Anonymous a = switch (anon) {
      case "none" -> Authenticator.Anonymous.NONE;
      case "read" -> Authenticator.Anonymous.READ;
      default -> throw new UsageException("--anonymous must be none or read: " + anon);
    };
    String file = v.get("--htpasswd").trim();
    List<String> hosts = new ArrayList<>();
    for (String h : v.get("--allowed-hosts").split(",")) {
      if (!h.isBlank()) {
        hosts.add(h.trim());
      }
    }
    return new Security(a, onOff(v, "--allow-basic-over-http"),
        file.isEmpty() ? null : Path.of(file).toAbsolutePath(), List.copyOf(hosts),
        longValue(v, "--max-upload", 0), onOff(v, "--digest"));
  }

  private static Database database(Map<String, String> v) throws UsageException {
    String url = v.get("--db").trim();
    if (!url.isEmpty() && !url.startsWith("jdbc:postgresql:")) {
      throw new UsageException("--db must be a jdbc:postgresql: URL (or empty for H2): " + url);
    }
    String blobs = v.get("--blobs").trim();
    Path dir = null;
    if (blobs.startsWith("s3://")) {
      return new Database(url, v.get("--db-user"), v.get("--db-password"), null, s3(v, blobs));
    }
    if (!blobs.isEmpty()) {
      String file = blobs.startsWith("file:") ? blobs.substring(5) : blobs;
      if (file.isEmpty() || blobs.contains("://")) {
        throw new UsageException("--blobs must be file:DIR (a folder) or s3://BUCKET[/PREFIX]: "
            + blobs);
      }
      dir = Path.of(file).toAbsolutePath().normalize();
    }
    return new Database(url, v.get("--db-user"), v.get("--db-password"), dir, null);
  }

  /** The S3 bucket of {@code --blobs s3://...}, with the S3 flags. */
  private static S3Location s3(Map<String, String> v, String blobs) throws UsageException {
    String endpoint = v.get("--s3-endpoint").trim();
    String key = v.get("--s3-access-key").trim();
    String secret = v.get("--s3-secret-key").trim();
    try {
      return S3Location.parse(blobs, endpoint.isEmpty() ? null : URI.create(endpoint),
          v.get("--s3-region").trim(), onOff(v, "--s3-path-style"), key.isEmpty() ? null : key,
          secret.isEmpty() ? null : secret);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--blobs " + blobs + ": " + e.getMessage());
    }
  }

  private static TlsSettings tls(Map<String, String> v) throws UsageException {
    int redirect =
        v.get("--redirect-http").isBlank() ? 0 : intValue(v, "--redirect-http", 0, 65535);
    try {
      return new TlsSettings(path(v, "--tls-cert"), path(v, "--tls-key"),
          path(v, "--tls-keystore"), v.get("--tls-keystore-password"),
          path(v, "--tls-client-ca"), redirect, duration(v, "--tls-reload"));
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  /** A file flag's path, or null when it is empty (off). */
  private static Path path(Map<String, String> v, String flag) {
    String s = v.get(flag).trim();
    return s.isEmpty() ? null : Path.of(s).toAbsolutePath().normalize();
  }

  /** What the store needs of this configuration. */
  public StoreSettings storeSettings() {
    return new StoreSettings(fsync, orphanGrace, minFreeSpace);
  }

  private static boolean onOff(Map<String, String> v, String flag) throws UsageException {
    String s = v.get(flag).trim();
    if (!s.equals("on") && !s.equals("off")) {
      throw new UsageException(flag + " must be on or off: " + s);
    }
    return s.equals("on");
  }

  private static Processing processing(Map<String, String> v) throws UsageException {
    String onOff = v.get("--processing").trim();
    if (!onOff.equals("on") && !onOff.equals("off")) {
      throw new UsageException("--processing must be on or off: " + onOff);
    }
    ClientPolicy policy;
    try {
      policy = ClientPolicy.parse(v.get("--processing-clients"),
          intValue(v, "--processing-unknown", 0, 1_000_000));
    } catch (IllegalArgumentException e) {
      throw new UsageException("--processing-clients: " + e.getMessage());
    }
    return new Processing(onOff.equals("on"), duration(v, "--processing-after"),
        duration(v, "--processing-interval"), intValue(v, "--processing-max", 0, 1_000_000),
        policy);
  }

  private static Duration duration(Map<String, String> v, String flag) throws UsageException {
    try {
      return Durations.parse(v.get(flag));
    } catch (IllegalArgumentException e) {
      throw new UsageException(flag + ": " + e.getMessage());
    }
  }

  private static int intValue(Map<String, String> v, String flag, int min, int max)
      throws UsageException {
    long n = longValue(v, flag, min);
    if (n > max) {
      throw new UsageException(flag + " must be at most " + max + ": " + v.get(flag));
    }
    return (int) n;
  }

  private static long longValue(Map<String, String> v, String flag, long min)
      throws UsageException {
    try {
      long n = Long.parseLong(v.get(flag).trim());
      if (n < min) {
        throw new UsageException(flag + " must be at least " + min + ": " + v.get(flag));
      }
      return n;
    } catch (NumberFormatException e) {
      throw new UsageException(flag + " is not a number: " + v.get(flag));
    }
  }

  /** The --help text. */
  static String usage() {
    StringBuilder b = new StringBuilder();
    b.append("usage: java -jar depthdav.jar [options]\n");
    b.append("       java -jar depthdav.jar check --data DIR   (verify a stopped server's store)\n\n");
    b.append("Serves a WebDAV store (RFC 4918) over HTTP/1.1 and h2c,"
        + " or with TLS over HTTP/1.1 and h2.\n\noptions:\n");
    for (Option o : OPTIONS.values()) {
      b.append(String.format("  %-22s %s (env %s, default %s)%n", o.flag() + " VALUE", o.help(),
          o.env(), o.fallback().isEmpty() ? "none" : o.fallback()));
    }
    b.append(String.format("  %-22s %s%n", "--help", "print this and exit"));
    return b.toString();
  }
}
