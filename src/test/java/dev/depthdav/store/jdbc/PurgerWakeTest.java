package dev.depthdav.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.depthdav.store.Node;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A write that hands rows to the trash wakes the purger itself; callers need not. */
class PurgerWakeTest {
  private static final Instant T0 = Instant.parse("2026-02-28T23:59:59Z");
  @TempDir Path dir;
  JdbcStore store;

  @BeforeEach
  void open() {
    store = JdbcStore.open(dir);
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void write_thatDetaches_wakesThePurgerOnce_otherWritesDoNot() {
    Node c = store.write(tx -> tx.createCollection(tx.root().id(), "c", T0));
    long before = store.purgerWakes();
    store.write(tx -> tx.createCollection(c.id(), "d", T0));
    assertEquals(before, store.purgerWakes(), "nothing trashed, nothing to wake for");
    store.write(tx -> {
      tx.detach(c.id());
      return null;
    });
    assertEquals(before + 1, store.purgerWakes());
  }
}
