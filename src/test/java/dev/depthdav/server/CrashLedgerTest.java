package dev.depthdav.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthdav.store.jdbc.JdbcCheck;
import dev.depthdav.store.jdbc.JdbcStore;
import dev.depthdav.testing.BuildTree;
import dev.depthdav.testing.CrashedFiles;
import dev.depthdav.testing.ServerProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash ledger: writers record every request the server acknowledged; the server is killed
 * with SIGKILL at a random moment; after a restart every acknowledged change must be there
 * exactly (content by hash, dead properties, locks), no acknowledged deletion undone, the
 * request in flight at the kill whole or absent, and {@code check} clean. Rounds accumulate on one
 * data folder. The seed is printed, so a failing run can be repeated with {@code -Dledger.seed}.
 */
class CrashLedgerTest {
  private static final int WRITERS = 4;
  private static final int SEED_TREE = 3_000;
  private static final String PROP_NS = "urn:x-depthdav-ledger";

  @TempDir Path data;

  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(10)).build();

  /** What the ledger expects at one path. */
  private record Res(boolean collection, String sha, long count, Map<String, String> props,
      String lock) {
    static Res file(String sha) {
      return new Res(false, sha, 1, Map.of(), null);
    }

    static Res tree(long count) {
      return new Res(true, null, count, Map.of(), null);
    }

    Res withProp(String name, String value) {
      Map<String, String> p = new LinkedHashMap<>(props);
      p.put(name, value);
      return new Res(collection, sha, count, p, lock);
    }

    Res withLock(String token) {
      return new Res(collection, sha, count, props, token);
    }
  }

  /** One writer's view: present paths with their state, and paths that must be absent. */
  private static final class Ledger {
    final Map<String, Res> present = new LinkedHashMap<>();
    final List<String> absent = new ArrayList<>();
    /** The request sent but not answered when the server died: path to (before, after). */
    final Map<String, Res[]> inFlight = new LinkedHashMap<>();
    long acknowledged;
    int names;
  }

  private final AtomicLong losses = new AtomicLong();
  private final List<String> lossLog = new ArrayList<>();
  /** Where the database files of the first round whose check failed were kept, or null. */
  private Path kept;

  /**
   * With {@code -Dledger.keepCrashed=DIR}, copies the database folder as the kill left it,
   * before anything opens it, to {@code DIR/crashed}, until a round's check fails; null without
   * it, or once a failing round's files are kept.
   */
  private Path keepCrashed() throws IOException {
    String keep = System.getProperty("ledger.keepCrashed");
    if (keep == null || kept != null) {
      return null;
    }
    Path to = Path.of(keep, "crashed");
    CrashedFiles.copy(data.resolve("db"), to);
    return to;
  }

  @Test
  void sigkillAtRandomMoments_losesNoAcknowledgedChange_andCheckPasses() throws Exception {
    long seed = Long.getLong("ledger.seed", System.nanoTime());
    int rounds = Integer.getInteger("ledger.rounds", 8);
    Random rnd = new Random(seed);
    BuildTree.main(new String[] {data.toString(), Integer.toString(SEED_TREE)});
    List<Ledger> ledgers = new ArrayList<>();
    long inFlightTotal = 0;
    for (int round = 1; round <= rounds; round++) {
      try (ServerProcess server = ServerProcess.start(data)) {
        URI uri = server.uri();
        if (round == 1) {
          for (int w = 0; w < WRITERS; w++) {
            expect2xx(send(uri, "MKCOL", "/w" + w + "/", null, Map.of()), "MKCOL /w" + w);
            ledgers.add(new Ledger());
          }
        } else {
          ledgers.forEach(l -> verify(uri, l));
        }
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
          int id = w;
          long writerSeed = rnd.nextLong();
          Thread t = new Thread(() -> write(uri, id, ledgers.get(id), new Random(writerSeed),
              stop), "writer-" + w);
          t.start();
          writers.add(t);
        }
        Thread.sleep(300 + rnd.nextInt(2_700)); // the crash comes at a moment nobody chose
        server.kill();
        stop.set(true);
        for (Thread t : writers) {
          t.join();
        }
      }
      inFlightTotal += ledgers.stream().mapToLong(l -> l.inFlight.size()).sum();
      Path crashed = keepCrashed();
      try (JdbcStore store = JdbcStore.openForCheck(data)) {
        JdbcCheck.Report r = JdbcCheck.run(store);
        if (!r.problems().isEmpty()) {
          loss("check after round " + round + ": " + r.problems());
          if (crashed != null) {
            kept = crashed; // the files of the first round that failed stay for a post-mortem
            System.out.println("database files as the kill left them: " + crashed);
          }
        }
      }
    }
    try (ServerProcess server = ServerProcess.start(data)) {
      ledgers.forEach(l -> verify(server.uri(), l));
    }
    long acked = ledgers.stream().mapToLong(l -> l.acknowledged).sum();
    long present = ledgers.stream().mapToLong(l -> l.present.size()).sum();
    long absent = ledgers.stream().mapToLong(l -> l.absent.size()).sum();
    System.out.printf("crash ledger (seed %d): %d rounds of SIGKILL, %d writers, %d acknowledged"
        + " requests, %d in flight at a kill; verified %d present and %d absent paths;"
        + " lost: %d%n", seed, rounds, WRITERS, acked, inFlightTotal, present, absent,
        losses.get());
    lossLog.stream().limit(40).forEach(l -> System.out.println("  lost: " + l));
    assertTrue(acked > rounds * 20L, "too few requests acknowledged to mean anything: " + acked);
    assertEquals(0, losses.get(), "acknowledged changes lost, see the output");
  }

  /**
   * A tree COPY acknowledged with 201 and the server killed at once, again and again: every
   * acknowledged copy is whole after the restart, and the store checks clean.
   */
  @Test
  void treeCopyAcknowledgedThenSigkill_copyIsWhole() throws Exception {
    int size = 10_000;
    int rounds = Integer.getInteger("ledger.copyRounds", 5);
    BuildTree.main(new String[] {data.toString(), Integer.toString(size)});
    List<String> acknowledged = new ArrayList<>();
    for (int round = 1; round <= rounds; round++) {
      try (ServerProcess server = ServerProcess.start(data)) {
        String copy = "/copy" + round + "/";
        HttpResponse<byte[]> r = send(server.uri(), "COPY", "/tree/", null, Map.of(
            "Destination", server.uri().resolve(copy).toString(), "Depth", "infinity")).send();
        server.kill(); // at once, as soon as the 201 is in
        assertEquals(201, r.statusCode(), "COPY in round " + round);
        acknowledged.add(copy);
      }
      try (JdbcStore store = JdbcStore.openForCheck(data)) {
        assertEquals(List.of(), JdbcCheck.run(store).problems(), "check after round " + round);
      }
    }
    try (ServerProcess server = ServerProcess.start(data)) {
      String top = new String(send(server.uri(), "PROPFIND", "/", null, Map.of("Depth", "1"))
          .send().body(), StandardCharsets.UTF_8);
      for (String copy : acknowledged) {
        assertEquals(null, differs(server.uri(), copy.substring(0, copy.length() - 1),
            Res.tree(size)), copy + " in " + top.replaceAll("<D:propstat>.*?</D:propstat>", ""));
      }
    }
    System.out.printf("tree copy then SIGKILL: %d copies of %d resources acknowledged, all "
        + "whole after restart%n", acknowledged.size(), size);
  }

  // ---- the writers ----------------------------------------------------------------------

  private void write(URI uri, int w, Ledger l, Random rnd, AtomicBoolean stop) {
    String home = "/w" + w + "/";
    try {
      while (!stop.get()) {
        step(uri, home, l, rnd);
      }
    } catch (IOException e) {
      // the server died under this request: it stays in l.inFlight, to be judged after restart
    } catch (AssertionError e) {
      loss("unexpected answer: " + e.getMessage());
      l.inFlight.clear();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One random request; the ledger changes only when the server acknowledged it. */
  private void step(URI uri, String home, Ledger l, Random rnd)
      throws IOException, InterruptedException {
    List<String> changeable = l.present.entrySet().stream()
        .filter(e -> e.getValue().lock() == null).map(Map.Entry::getKey).toList();
    List<String> files = changeable.stream().filter(p -> !l.present.get(p).collection())
        .toList();
    int dice = rnd.nextInt(100);
    String fresh = home + "n" + (l.names++);
    if (dice < 25 || files.isEmpty()) {
      byte[] body = bytes(rnd);
      apply(l, 201, send(uri, "PUT", fresh, body, Map.of()), fresh, null, Res.file(sha(body)));
    } else if (dice < 40) {
      String f = pick(files, rnd);
      byte[] body = bytes(rnd);
      Res before = l.present.get(f);
      apply(l, 204, send(uri, "PUT", f, body, Map.of()), f, before,
          new Res(false, sha(body), 1, before.props(), null));
    } else if (dice < 45) {
      apply(l, 201, send(uri, "MKCOL", fresh + "/", null, Map.of()), fresh, null, Res.tree(1));
    } else if (dice < 55 && !changeable.isEmpty()) {
      String from = pick(changeable, rnd);
      Res moved = l.present.get(from);
      Map<String, Res[]> change = new LinkedHashMap<>();
      change.put(from, new Res[] {moved, null});
      change.put(fresh, new Res[] {null, moved});
      applyAll(l, 201, send(uri, "MOVE", href(from, moved), null,
          Map.of("Destination", uri.resolve(href(fresh, moved)).toString())), change);
    } else if (dice < 63) {
      String from = pick(files, rnd);
      Res src = l.present.get(from);
      apply(l, 201, send(uri, "COPY", from, null, Map.of("Destination",
          uri.resolve(fresh).toString())), fresh, null, new Res(false, src.sha(), 1,
          src.props(), null));
    } else if (dice < 67) {
      apply(l, 201, send(uri, "COPY", "/tree/", null, Map.of("Destination",
          uri.resolve(fresh + "/").toString(), "Depth", "infinity")), fresh, null,
          Res.tree(SEED_TREE));
    } else if (dice < 79 && !changeable.isEmpty()) {
      String gone = pick(changeable, rnd);
      Res before = l.present.get(gone);
      apply(l, 204, send(uri, "DELETE", href(gone, before), null, Map.of()), gone, before, null);
    } else if (dice < 94) {
      String f = pick(files, rnd);
      String name = "p" + rnd.nextInt(3);
      String value = "v" + Long.toHexString(rnd.nextLong());
      String body = "<?xml version=\"1.0\"?><D:propertyupdate xmlns:D=\"DAV:\" xmlns:L=\""
          + PROP_NS + "\"><D:set><D:prop><L:" + name + ">" + value + "</L:" + name
          + "></D:prop></D:set></D:propertyupdate>";
      Res before = l.present.get(f);
      apply(l, 207, send(uri, "PROPPATCH", f, body.getBytes(StandardCharsets.UTF_8), Map.of()),
          f, before, before.withProp(name, value));
    } else {
      String f = pick(files, rnd);
      Res before = l.present.get(f);
      String body = "<?xml version=\"1.0\"?><D:lockinfo xmlns:D=\"DAV:\"><D:lockscope>"
          + "<D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype>"
          + "<D:owner>ledger</D:owner></D:lockinfo>";
      // The token is known only from the answer; in flight, any lock on it will do.
      l.inFlight.put(f, new Res[] {before, before.withLock("?")});
      HttpResponse<byte[]> r = send(uri, "LOCK", f, body.getBytes(StandardCharsets.UTF_8),
          Map.of("Timeout", "Second-86400")).send();
      l.inFlight.clear();
      expect2xx(r, "LOCK " + f);
      String token = r.headers().firstValue("Lock-Token").orElseThrow();
      l.present.put(f, before.withLock(token.substring(1, token.length() - 1)));
      l.acknowledged++;
    }
  }

  /** Records the request as in flight, sends it, and applies it to the ledger when acknowledged. */
  private void apply(Ledger l, int status, Sent sent, String path, Res before, Res after)
      throws IOException, InterruptedException {
    Map<String, Res[]> change = new LinkedHashMap<>();
    change.put(path, new Res[] {before, after});
    applyAll(l, status, sent, change);
  }

  private void applyAll(Ledger l, int status, Sent sent, Map<String, Res[]> change)
      throws IOException, InterruptedException {
    l.inFlight.putAll(change);
    HttpResponse<byte[]> r = sent.send(); // an IOException leaves the change in flight
    l.inFlight.clear();
    if (r.statusCode() != status) {
      throw new AssertionError(r.request().method() + " " + r.request().uri() + " answered "
          + r.statusCode() + " instead of " + status + ": "
          + new String(r.body(), StandardCharsets.UTF_8));
    }
    change.forEach((path, states) -> settle(l, path, states[1]));
    l.acknowledged++;
  }

  private static void settle(Ledger l, String path, Res state) {
    if (state == null) {
      l.present.remove(path);
      l.absent.add(path);
    } else {
      l.present.put(path, state);
      l.absent.remove(path);
    }
  }

  // ---- verification after a restart ------------------------------------------------------

  private void verify(URI uri, Ledger l) {
    try {
      // The request in flight at the kill: all of it applied, or none of it.
      if (!l.inFlight.isEmpty()) {
        List<String> after = new ArrayList<>();
        List<String> before = new ArrayList<>();
        for (Map.Entry<String, Res[]> e : l.inFlight.entrySet()) {
          after.add(differs(uri, e.getKey(), e.getValue()[1]));
          before.add(differs(uri, e.getKey(), e.getValue()[0]));
        }
        int side = after.stream().allMatch(w -> w == null) ? 1
            : before.stream().allMatch(w -> w == null) ? 0 : -1;
        if (side < 0) {
          loss("request in flight half applied: " + l.inFlight.keySet() + " " + after + " "
              + before);
        }
        for (Map.Entry<String, Res[]> e : l.inFlight.entrySet()) {
          Res state = e.getValue()[Math.max(side, 0)];
          if (side < 0) {
            l.present.remove(e.getKey());
          } else if (state != null && "?".equals(state.lock())) {
            settle(l, e.getKey(), state.withLock(lockAt(uri, e.getKey())));
          } else {
            settle(l, e.getKey(), state);
          }
        }
      }
      l.inFlight.clear();
      for (Map.Entry<String, Res> e : new ArrayList<>(l.present.entrySet())) {
        String wrong = differs(uri, e.getKey(), e.getValue());
        if (wrong != null) {
          loss("acknowledged " + e.getKey() + ": " + wrong);
          l.present.remove(e.getKey()); // counted once
        }
      }
      for (String gone : new ArrayList<>(l.absent)) {
        String wrong = differs(uri, gone, null);
        if (wrong != null) {
          loss("acknowledged deletion undone at " + gone + ": " + wrong);
          l.absent.remove(gone);
        }
      }
    } catch (IOException | InterruptedException e) {
      throw new AssertionError("verification failed: " + e, e);
    }
  }

  /** Null when the server has {@code expected} at {@code path} (null: nothing there); else why not. */
  private String differs(URI uri, String path, Res expected)
      throws IOException, InterruptedException {
    if (expected == null || !expected.collection()) {
      HttpResponse<byte[]> r = send(uri, "GET", path, null, Map.of()).send();
      if (expected == null) {
        return r.statusCode() == 404 ? null : "GET answered " + r.statusCode();
      }
      if (r.statusCode() != 200) {
        return "GET answered " + r.statusCode();
      }
      if (!sha(r.body()).equals(expected.sha())) {
        return "other bytes (an older version?)";
      }
    } else {
      HttpResponse<byte[]> r = send(uri, "PROPFIND", path + "/", null,
          Map.of("Depth", "infinity")).send();
      if (r.statusCode() != 207) {
        return "PROPFIND answered " + r.statusCode();
      }
      long count = new String(r.body(), StandardCharsets.UTF_8).split("<D:response>", -1).length
          - 1;
      if (count != expected.count()) {
        return count + " resources instead of " + expected.count();
      }
    }
    for (Map.Entry<String, String> p : expected.props().entrySet()) {
      String body = "<?xml version=\"1.0\"?><D:propfind xmlns:D=\"DAV:\"><D:prop><L:" + p.getKey()
          + " xmlns:L=\"" + PROP_NS + "\"/></D:prop></D:propfind>";
      HttpResponse<byte[]> r = send(uri, "PROPFIND", path, body.getBytes(StandardCharsets.UTF_8),
          Map.of("Depth", "0")).send();
      if (!new String(r.body(), StandardCharsets.UTF_8).contains(">" + p.getValue() + "<")) {
        return "property " + p.getKey() + " is not " + p.getValue();
      }
    }
    if (expected.lock() != null) {
      String token = lockAt(uri, path);
      if (token == null || !(expected.lock().equals("?") || expected.lock().equals(token))) {
        return "lock " + expected.lock() + " is gone";
      }
    }
    return null;
  }

  /** The token of the lock on {@code path}, from the lock listing; null when there is none. */
  private String lockAt(URI uri, String path) throws IOException, InterruptedException {
    String json = new String(send(uri, "GET", "/.depthdav/locks", null, Map.of()).send().body(),
        StandardCharsets.UTF_8);
    int at = json.indexOf("\"" + path + "\"");
    if (at < 0) {
      return null;
    }
    int object = json.lastIndexOf('{', at);
    int t = json.indexOf("urn:uuid:", object);
    return json.substring(t, json.indexOf('"', t));
  }

  // ---- plumbing ----------------------------------------------------------------------

  /** A request ready to go: sending it may throw when the server is gone. */
  @FunctionalInterface
  private interface Sent {
    HttpResponse<byte[]> send() throws IOException, InterruptedException;
  }

  private Sent send(URI uri, String method, String path, byte[] body, Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri.resolve(path.replace(" ", "%20")))
        .timeout(Duration.ofSeconds(120))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(b::header);
    HttpRequest req = b.build();
    return () -> http.send(req, HttpResponse.BodyHandlers.ofByteArray());
  }

  private static void expect2xx(Sent sent, String what) throws IOException, InterruptedException {
    expect2xx(sent.send(), what);
  }

  private static void expect2xx(HttpResponse<byte[]> r, String what) {
    assertTrue(r.statusCode() / 100 == 2, what + " answered " + r.statusCode());
  }

  private synchronized void loss(String what) {
    losses.incrementAndGet();
    lossLog.add(what);
  }

  private static String href(String path, Res res) {
    return res.collection() ? path + "/" : path;
  }

  private static String pick(List<String> from, Random rnd) {
    return from.get(rnd.nextInt(from.size()));
  }

  private static byte[] bytes(Random rnd) {
    byte[] b = new byte[1 + rnd.nextInt(48 * 1024)];
    rnd.nextBytes(b);
    return b;
  }

  private static String sha(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
