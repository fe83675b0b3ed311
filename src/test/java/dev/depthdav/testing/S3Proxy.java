package dev.depthdav.testing;

import dev.depthdav.store.s3.S3Location;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A throwaway S3 server: s3proxy (target/s3proxy.jar, copied there by the build) in a process of
 * its own, on a free loopback port, keeping objects in a temporary folder (its jclouds file
 * system backend), signing checked against one identity.
 */
public final class S3Proxy implements AutoCloseable {
  public static final String IDENTITY = "depthdav-test";
  public static final String CREDENTIAL = "depthdav-test-secret";
  private final Process process;
  private final Path dir;
  private final int port;

  private S3Proxy(Process process, Path dir, int port) {
    this.process = process;
    this.dir = dir;
    this.port = port;
  }

  private static S3Proxy shared;
  private static int buckets;

  /** The server the tests of this JVM share, started on first use, stopped when the JVM exits. */
  public static synchronized S3Proxy shared() throws IOException, InterruptedException {
    if (shared == null) {
      S3Proxy p = start();
      Runtime.getRuntime().addShutdownHook(new Thread(p::close, "s3proxy-stop"));
      shared = p;
    }
    return shared;
  }

  /** A new, empty bucket of the shared server. */
  public static String freshBucket() throws IOException, InterruptedException {
    S3Proxy p = shared();
    synchronized (S3Proxy.class) {
      return p.createBucket("bucket-" + buckets++);
    }
  }

  /** Starts s3proxy; returns once it answers. */
  public static S3Proxy start() throws IOException, InterruptedException {
    Path jar = Path.of("target", "s3proxy.jar").toAbsolutePath();
    if (!Files.exists(jar)) {
      throw new IOException(jar + " is missing: mvn generate-test-resources copies it there");
    }
    Path dir = Files.createTempDirectory("depthdav-s3");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Files.createDirectories(dir.resolve("objects"));
    Files.writeString(dir.resolve("s3proxy.conf"), String.join("\n",
        "s3proxy.endpoint=http://127.0.0.1:" + port,
        "s3proxy.authorization=aws-v2-or-v4",
        "s3proxy.identity=" + IDENTITY,
        "s3proxy.credential=" + CREDENTIAL,
        "jclouds.provider=filesystem",
        "jclouds.filesystem.basedir=" + dir.resolve("objects"), ""));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p = new ProcessBuilder(java.toString(), "-Xmx256m", "-jar", jar.toString(),
        "--properties", dir.resolve("s3proxy.conf").toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile()).start();
    S3Proxy proxy = new S3Proxy(p, dir, port);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!proxy.answers()) {
      if (!p.isAlive() || System.nanoTime() > deadline) {
        String log = Files.readString(dir.resolve("log"));
        proxy.close();
        throw new IOException("s3proxy did not start:\n" + log);
      }
      Thread.sleep(100);
    }
    return proxy;
  }

  private boolean answers() {
    try {
      HttpURLConnection c = (HttpURLConnection) endpoint().toURL().openConnection();
      c.setConnectTimeout(1000);
      c.getResponseCode(); // 403 without credentials: it is up
      c.disconnect();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** Creates an empty bucket; returns its name. */
  public String createBucket(String name) {
    S3Location at = location(name, "");
    try (S3Client s3 = S3Client.builder().httpClient(UrlConnectionHttpClient.create())
        .endpointOverride(at.endpoint()).region(Region.of(at.region())).forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(IDENTITY, CREDENTIAL))).build()) {
      s3.createBucket(r -> r.bucket(name));
    }
    return name;
  }

  /** Where the objects of {@code bucket}, under {@code prefix}, are found with this server. */
  public S3Location location(String bucket, String prefix) {
    return new S3Location(bucket, prefix, endpoint(), "us-east-1", true, IDENTITY, CREDENTIAL,
        S3Location.PART_SIZE);
  }

  /** The objects of a bucket, as files of the backend (tmp files of jclouds left out). */
  public List<Path> objects(String bucket) throws IOException {
    Path b = dir.resolve("objects").resolve(bucket);
    try (Stream<Path> all = Files.walk(b)) {
      return all.filter(Files::isRegularFile).sorted().toList();
    }
  }

  /** Whether something listens on the port (false once stopped). */
  public boolean listening() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      try (Stream<Path> all = Files.walk(dir)) {
        for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
          Files.deleteIfExists(p);
        }
      }
    } catch (IOException e) {
      // the temporary folder stays
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
