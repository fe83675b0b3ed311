package dev.depthdav.store.jdbc;

import dev.depthdav.testing.CrashedFiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} while the H2 file is written and compacted: a child process ({@link
 * CompactionKillChild}) changes rows as the store does and compacts slice after slice; it is
 * killed at a random moment, the database is opened again here and must hold every
 * acknowledged change, each unacknowledged transaction whole or not at all, and tables and
 * indexes that agree, row for row; then the next round starts on the same file. The crash
 * ledger (CrashLedgerTest) found stores inconsistent after a kill; this test kills the engine
 * alone many times a minute (bench/results/kill-consistency-20261202.md).
 *
 * <p>{@code -Dcompactionkill.rounds} (default 30), {@code -Dcompactionkill.retentionMs} (how
 * soon a step may write over a dead chunk; default 0, as the server),
 * {@code -Dcompactionkill.compactAboveBytes} (default: none for the first test, where a flush
 * meets the most statements; 1 MiB for the second) and
 * {@code -Dcompactionkill.engine=stock} (H2 as it comes) change the run; the seed is
 * printed, {@code -Dcompactionkill.seed} repeats one; {@code -Dcompactionkill.keepCrashed=DIR}
 * keeps the files as the last kill left them.
 */
class CompactionKillTest {
  /** A threshold no file here reaches: no compaction. */
  private static final long NEVER = 1L << 50;
  @TempDir Path dir;

  /**
   * The defect fixed on 2026-12-02: after a kill, a table and its index disagreed (with 1a8b9f9's
   * H2Engine in rounds 1, 2 and 7 of three runs).
   */
  @Test
  void sigkillWhileWriting_everyIndexAgreesWithItsTable() throws Exception {
    run(false, NEVER);
  }

  /**
   * Open (docs/ARCHITECTURE.md, "Compaction"): acknowledged changes lost after a kill, about one
   * round in a hundred, with compaction and without; CI at 19ac225 saw it in round 6. Runs with
   * {@code -Dcompactionkill.strict=true}.
   */
  @Test
  @EnabledIfSystemProperty(named = "compactionkill.strict", matches = "true",
      disabledReason = "open defect: acknowledged changes lost after a kill, about one round in a"
          + " hundred (bench/results/kill-consistency-20261202.md)")
  void sigkillWhileWritingAndCompacting_keepsEveryAcknowledgedChange() throws Exception {
    run(true, 1 << 20);
  }

  /**
   * Rounds of kill and reopen; with {@code requireAcknowledged} a round whose rows are not the
   * acknowledged ones (each in-flight transaction whole or absent) is a problem, without it it is
   * counted and printed, and the next round goes on from the rows found.
   */
  private void run(boolean requireAcknowledged, long compactAbove) throws Exception {
    int rounds = Integer.getInteger("compactionkill.rounds", 30);
    int retention = Integer.getInteger("compactionkill.retentionMs", 0);
    long seed = Long.getLong("compactionkill.seed", System.nanoTime());
    Random random = new Random(seed);
    Map<Long, Long> rows = new HashMap<>(); // id to k, as acknowledged
    Path db = dir.resolve("db");
    int acknowledged = 0;
    int inFlightApplied = 0;
    int inFlight = 0;
    int slices = 0;
    int shrinks = 0;
    List<String> problems = new ArrayList<>();
    List<String> losses = new ArrayList<>(); // counted, not failed, without requireAcknowledged
    int ran = 0;
    for (int round = 1; round <= rounds && problems.isEmpty(); round++) {
      ran = round;
      Path err = dir.resolve("child-" + round + ".err");
      Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
          .toString(), "-Xmx256m", "-Ddepthdav.compactAboveBytes="
          + Long.getLong("compactionkill.compactAboveBytes", compactAbove), "-cp",
          System.getProperty("java.class.path"), CompactionKillChild.class.getName(),
          db.toString(), Long.toString(random.nextLong()), Integer.toString(retention),
          System.getProperty("compactionkill.engine", "depthdav"))
          .redirectError(err.toFile()).start();
      Transactions log = new Transactions();
      Thread reader = new Thread(() -> log.read(child), "child-output");
      reader.start();
      assertTrue(log.ready.await(60, TimeUnit.SECONDS), "the child did not start: "
          + Files.readString(err));
      Thread.sleep(300 + random.nextInt(2_200));
      boolean died = !child.isAlive();
      child.destroyForcibly(); // SIGKILL
      child.waitFor();
      reader.join();
      if (died) {
        fail("the child failed by itself in round " + round + ": " + Files.readString(err));
      }
      for (Transaction t : log.acknowledged) {
        t.applyTo(rows);
      }
      acknowledged += log.acknowledged.size();
      slices += log.slices;
      shrinks += log.shrinks;
      inFlight += log.pending.size();
      String keep = System.getProperty("compactionkill.keepCrashed");
      if (keep != null) { // the files as the kill left them, for a post-mortem of a failure
        CrashedFiles.copy(db, Path.of(keep, "crashed"));
      }
      Map<Long, Long> found = new HashMap<>();
      try (H2Engine engine = new H2Engine(db, 0, new ReentrantLock(), retention);
          Connection c = engine.connect()) {
        problems.addAll(agreement(c, found, round));
      }
      // Each transaction in flight at the kill is there whole or not at all.
      Map<Long, Long> expected = null;
      for (int mask = 0; mask < 1 << log.pending.size() && expected == null; mask++) {
        Map<Long, Long> candidate = new HashMap<>(rows);
        int applied = 0;
        for (int i = 0; i < log.pending.size(); i++) {
          if ((mask & 1 << i) != 0) {
            log.pending.get(i).applyTo(candidate);
            applied++;
          }
        }
        if (candidate.equals(found)) {
          expected = candidate;
          inFlightApplied += applied;
        }
      }
      if (expected == null) {
        String loss = "round " + round + ": the rows are not the acknowledged ones (with or"
            + " without the " + log.pending.size() + " in flight): " + difference(rows, found);
        if (requireAcknowledged) {
          problems.add(loss);
        } else {
          losses.add(loss);
          rows = found;
        }
      } else {
        rows = expected;
      }
    }
    System.out.printf("compaction kill (seed %d, retention %d ms): %d rounds, %d acknowledged"
        + " transactions, %d in flight at a kill (%d of them found), %d rows at the end;"
        + " %d slices of compaction, %d of them shrank the file; problems: %s; rounds that lost"
        + " acknowledged changes (open defect): %s%n", seed, retention, ran, acknowledged,
        inFlight, inFlightApplied, rows.size(), slices, shrinks,
        problems.isEmpty() ? "none" : problems, losses.isEmpty() ? "none" : losses);
    assertTrue(acknowledged > ran, "the child acknowledged too little to test anything");
    assertEquals(List.of(), problems);
  }

  /** Reads {@code t} and {@code s} by primary key and by the index on k; says where they differ. */
  private static List<String> agreement(Connection c, Map<Long, Long> byKey, int round)
      throws Exception {
    List<String> problems = new ArrayList<>();
    disagreement(c, "t", "b", byKey, round).ifPresent(problems::add);
    disagreement(c, "s", "v", new HashMap<>(), round).ifPresent(problems::add);
    return problems;
  }

  /**
   * Reads {@code table} by its primary key into {@code byKey} (its {@code payload} column too, so
   * every page of it is read) and through its index on k; the difference, if any.
   */
  private static Optional<String> disagreement(Connection c, String table, String payload,
      Map<Long, Long> byKey, int round) throws Exception {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
        "SELECT id, k, LENGTH(" + payload + ") FROM " + table + " ORDER BY id")) {
      while (rs.next()) {
        byKey.put(rs.getLong(1), rs.getLong(2));
      }
    }
    Map<Long, Long> byIndex = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT id, k FROM " + table
        + " USE INDEX (" + table + "_k) WHERE k BETWEEN ? AND ?")) {
      ps.setLong(1, Long.MIN_VALUE);
      ps.setLong(2, Long.MAX_VALUE);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          byIndex.put(rs.getLong(1), rs.getLong(2));
        }
      }
    }
    return byIndex.equals(byKey) ? Optional.empty() : Optional.of("round " + round
        + ": the index on " + table + ".k and table " + table + " disagree: "
        + difference(byKey, byIndex));
  }

  private static String difference(Map<Long, Long> want, Map<Long, Long> got) {
    List<String> out = new ArrayList<>();
    want.forEach((id, k) -> {
      if (!k.equals(got.get(id))) {
        out.add(id + (got.containsKey(id) ? " has k " + got.get(id) + " not " + k : " missing"));
      }
    });
    got.keySet().stream().filter(id -> !want.containsKey(id)).forEach(id -> out.add(id + " extra"));
    return out.size() + " rows differ, first " + out.subList(0, Math.min(5, out.size()));
  }

  /** One writer's transaction as the child printed it. */
  private record Transaction(List<String> ops) {
    void applyTo(Map<Long, Long> rows) {
      for (String op : ops) {
        String[] idK = op.substring(1).split(":");
        long id = Long.parseLong(idK[0]);
        switch (op.charAt(0)) {
          case '+', '=' -> rows.put(id, Long.parseLong(idK[1]));
          case '-' -> rows.remove(id);
          default -> throw new IllegalStateException(op);
        }
      }
    }
  }

  /** The child's output: acknowledged transactions in order, and those still in flight. */
  private static final class Transactions {
    final java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(1);
    final List<Transaction> acknowledged = new ArrayList<>();
    final List<Transaction> pending = new ArrayList<>();
    private final Map<String, Transaction> open = new HashMap<>();
    int slices;
    int shrinks;

    void read(Process child) {
      try (BufferedReader in = new BufferedReader(
          new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          String[] f = line.split(" ");
          if (f[0].equals("READY")) {
            ready.countDown();
          } else if (f[0].equals("W") && f[f.length - 1].equals(".")) {
            open.put(f[1], new Transaction(List.of(f).subList(2, f.length - 1)));
          } else if (f[0].equals("A") && f.length == 2) {
            acknowledged.add(open.remove(f[1]));
          } else if (f[0].equals("C") && f.length == 3) {
            slices++;
            shrinks += Long.parseLong(f[2]) < Long.parseLong(f[1]) ? 1 : 0;
          } // else a line cut by the kill: its transaction was not committed, or not acknowledged
        }
      } catch (IOException e) {
        // the child is gone
      }
      pending.addAll(open.values());
    }
  }
}
