// The benchmark's HTTP client: one file, JDK only, run as `java bench/Load.java MODE ARGS...`.
// Every mode speaks HTTP to the server and prints one line of key=value figures.
//   tree BASE DIRS FILES CLIENTS        build BASE/d<i>/f<j>.txt with MKCOL and 4 KiB PUTs
//   rate MODE BASE CLIENTS SECONDS      MODE: propfind1 | get | put | mixed; requests/s, p50, p99
//   propfind BASE                       Depth: infinity: ttfb, total, bytes, responses
//   bigput URL MIB | bigget URL          one large PUT or GET: MB/s
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

public class Load {
  /** Names this run's new resources, so no run collides with another's (MKCOL would be 405). */
  static final String RUN = Long.toString(System.nanoTime() & 0xffffffffL, 36);
  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();

  /** 4 KiB of fresh random bytes: every file differs, as real files do (no server can dedupe). */
  static byte[] fourK() {
    byte[] b = new byte[4096];
    ThreadLocalRandom.current().nextBytes(b);
    return b;
  }

  public static void main(String[] a) throws Exception {
    switch (a[0]) {
      case "tree" -> tree(a[1], Integer.parseInt(a[2]), Integer.parseInt(a[3]), Integer.parseInt(a[4]));
      case "rate" -> rate(a[1], a[2], Integer.parseInt(a[3]), Integer.parseInt(a[4]));
      case "propfind" -> propfind(a[1]);
      case "bigput" -> bigput(a[1], Integer.parseInt(a[2]));
      case "bigget" -> bigget(a[1]);
      default -> throw new IllegalArgumentException("unknown mode " + a[0]);
    }
    System.exit(0);
  }

  static int send(String method, String url, byte[] body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(30))
        .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofByteArray(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return HTTP.send(b.build(), BodyHandlers.discarding()).statusCode();
  }

  /**
   * One OPTIONS request before a timed one, so the figure leaves out the client's start-up and the
   * TCP connect (the pooled connection is reused).
   */
  static void warm(String url) throws Exception {
    URI u = URI.create(url);
    send("OPTIONS", u.getScheme() + "://" + u.getRawAuthority() + "/", null);
  }

  static void check(int status, String what) {
    if (status >= 300) {
      throw new IllegalStateException(what + " answered " + status);
    }
  }

  static void tree(String base, int dirs, int files, int clients) throws Exception {
    long t0 = System.nanoTime();
    check(send("MKCOL", base, null), "MKCOL " + base);
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    List<Future<?>> work = new ArrayList<>();
    for (int d = 0; d < dirs; d++) {
      int dd = d;
      work.add(pool.submit(() -> {
        check(send("MKCOL", base + "d" + dd + "/", null), "MKCOL");
        for (int f = 0; f < files; f++) {
          check(send("PUT", base + "d" + dd + "/f" + f + ".txt", fourK()), "PUT");
        }
        return null;
      }));
    }
    for (Future<?> f : work) {
      f.get();
    }
    pool.shutdown();
    double s = (System.nanoTime() - t0) / 1e9;
    long n = 1L + dirs + (long) dirs * files;
    System.out.printf("resources=%d seconds=%.2f per_second=%.0f%n", n, s, n / s);
  }

  static void rate(String mode, String base, int clients, int seconds) throws Exception {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    AtomicLong errors = new AtomicLong();
    Map<Integer, AtomicLong> byStatus = new ConcurrentHashMap<>();
    AtomicLong seq = new AtomicLong();
    List<List<Long>> lat = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    List<Future<?>> work = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      List<Long> mine = new ArrayList<>();
      lat.add(mine);
      work.add(pool.submit(() -> {
        while (System.nanoTime() < end) {
          long t = System.nanoTime();
          int s;
          try {
            s = one(mode, base, seq.incrementAndGet());
          } catch (Exception e) {
            s = 599;
          }
          mine.add(System.nanoTime() - t);
          if (s >= 400) {
            errors.incrementAndGet();
            byStatus.computeIfAbsent(s, k -> new AtomicLong()).incrementAndGet();
          }
        }
        return null;
      }));
    }
    for (Future<?> f : work) {
      f.get();
    }
    pool.shutdown();
    List<Long> all = new ArrayList<>();
    lat.forEach(all::addAll);
    Collections.sort(all);
    StringBuilder statuses = new StringBuilder();
    new TreeMap<>(byStatus).forEach((k, v) -> statuses.append(k).append('x').append(v).append(','));
    System.out.printf("requests=%d per_second=%.0f p50_ms=%.2f p99_ms=%.2f errors=%d error_statuses=%s%n",
        all.size(), all.size() / (double) seconds, all.get(all.size() / 2) / 1e6,
        all.get((int) (all.size() * 0.99)) / 1e6, errors.get(),
        statuses.length() == 0 ? "-" : statuses.substring(0, statuses.length() - 1));
  }

  /** One request of a rate workload. BASE holds d0..d9 with f0..f99.txt (4 KiB each). */
  static int one(String mode, String base, long n) throws Exception {
    int r = ThreadLocalRandom.current().nextInt(100);
    switch (mode) {
      case "propfind1":
        return send("PROPFIND", base + "d0/", null, "Depth", "1");
      case "get":
        return send("GET", base + "d" + (n % 10) + "/f" + (n % 100) + ".txt", null);
      case "put":
        return send("PUT", base + "new/p" + RUN + "-" + n + ".bin", fourK());
      default: // mixed: 40% PROPFIND, 30% GET, 20% PUT, 5% MKCOL, 5% DELETE
        if (r < 40) {
          return send("PROPFIND", base + "d" + (n % 10) + "/", null, "Depth", "1");
        } else if (r < 70) {
          return send("GET", base + "d" + (n % 10) + "/f" + (n % 100) + ".txt", null);
        } else if (r < 90) {
          return send("PUT", base + "new/m" + RUN + "-" + n + ".bin", fourK());
        } else if (r < 95) {
          return send("MKCOL", base + "new/c" + RUN + "-" + n + "/", null);
        } else {
          int s = send("PUT", base + "new/x" + RUN + "-" + n + ".bin", fourK());
          return s >= 400 ? s : send("DELETE", base + "new/x" + RUN + "-" + n + ".bin", null);
        }
    }
  }

  static void propfind(String url) throws Exception {
    warm(url);
    long t0 = System.nanoTime();
    HttpResponse<InputStream> r = HTTP.send(HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofMinutes(30)).method("PROPFIND", BodyPublishers.noBody())
        .header("Depth", "infinity").build(), BodyHandlers.ofInputStream());
    long bytes = 0;
    long responses = 0;
    long ttfb = -1;
    byte[] buf = new byte[1 << 16];
    String carry = "";
    java.util.regex.Pattern close = java.util.regex.Pattern.compile("</([A-Za-z0-9]+:)?response>");
    try (InputStream in = r.body()) {
      for (int n; (n = in.read(buf)) >= 0; ) {
        if (ttfb < 0) {
          ttfb = System.nanoTime() - t0;
        }
        bytes += n;
        String s = carry + new String(buf, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1);
        java.util.regex.Matcher m = close.matcher(s);
        while (m.find()) {
          if (m.end() > carry.length()) { // ends in the new bytes: not counted before
            responses++;
          }
        }
        carry = s.substring(Math.max(0, s.length() - 40));
      }
    }
    double total = (System.nanoTime() - t0) / 1e9;
    System.out.printf("status=%d ttfb_s=%.3f total_s=%.3f bytes=%d responses=%d%n", r.statusCode(),
        Math.max(ttfb, 0) / 1e9, total, bytes, responses);
  }

  static void bigput(String url, int mib) throws Exception {
    byte[] chunk = new byte[1 << 20];
    ThreadLocalRandom.current().nextBytes(chunk);
    warm(url);
    long t0 = System.nanoTime();
    HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofMinutes(30)).PUT(BodyPublishers.fromPublisher(
            BodyPublishers.ofInputStream(() -> new InputStream() {
              long left = (long) mib << 20;
              int pos;

              @Override
              public int read() {
                throw new UnsupportedOperationException();
              }

              @Override
              public int read(byte[] b, int off, int len) {
                if (left == 0) {
                  return -1;
                }
                int n = (int) Math.min(Math.min(len, left), chunk.length - pos);
                System.arraycopy(chunk, pos, b, off, n);
                pos = (pos + n) % chunk.length;
                left -= n;
                return n;
              }
            }), (long) mib << 20)).build(), BodyHandlers.discarding());
    double s = (System.nanoTime() - t0) / 1e9;
    System.out.printf("status=%d seconds=%.2f mb_per_s=%.1f%n", r.statusCode(), s, mib * 1.048576 / s);
  }

  static void bigget(String url) throws Exception {
    warm(url);
    long t0 = System.nanoTime();
    HttpResponse<InputStream> r = HTTP.send(HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofMinutes(30)).GET().build(), BodyHandlers.ofInputStream());
    long bytes = 0;
    byte[] buf = new byte[1 << 16];
    try (InputStream in = r.body()) {
      for (int n; (n = in.read(buf)) >= 0; ) {
        bytes += n;
      }
    }
    double s = (System.nanoTime() - t0) / 1e9;
    System.out.printf("status=%d bytes=%d seconds=%.2f mb_per_s=%.1f%n", r.statusCode(), bytes, s,
        bytes / 1e6 / s);
  }
}
