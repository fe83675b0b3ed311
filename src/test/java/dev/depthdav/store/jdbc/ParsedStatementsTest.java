package dev.depthdav.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthdav.store.DavPath;
import dev.depthdav.store.Store;
import dev.depthdav.store.Tx;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import org.h2.command.Command;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A read or a write that fails (a 404, 409 or 412 found inside it) must not cost the session its
 * parsed statements: H2 drops them all on a rollback, and the requests after it on that session
 * parsed every statement again. The session pool hands out the session used last, so one thread
 * gets the same session each time and finds its statements parsed, or not.
 */
class ParsedStatementsTest {
  private static final String SQL = "SELECT COUNT(*) FROM node WHERE parent_id = ?";
  @TempDir Path dir;
  JdbcStore store;

  @BeforeEach
  void open() {
    store = JdbcStore.open(dir.resolve("data"));
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void aReadThatFails_keepsTheParsedStatements() throws Exception {
    keptAcross(store::read);
  }

  @Test
  void aWriteThatFailsBeforeChangingAnything_keepsTheParsedStatements() throws Exception {
    keptAcross(store::write);
  }

  @Test
  void aWriteThatFailsAfterAChange_undoesTheChange() {
    assertThrows(IllegalStateException.class, () -> store.write(tx -> {
      tx.createCollection(tx.root().id(), "made", Instant.now());
      throw new IllegalStateException("failed after a change");
    }));
    assertEquals(Optional.empty(), store.read(tx -> tx.resolve(DavPath.parse("/made"))));
    store.write(tx -> tx.createCollection(tx.root().id(), "made", Instant.now()));
    boolean made = store.read(tx -> tx.resolve(DavPath.parse("/made")).isPresent());
    assertTrue(made);
  }

  /**
   * Prepares {@link #SQL} in one transaction, then in one that fails, then in a third: the third
   * must get the command the first parsed. H2 also empties every session's statements when a
   * setting changes, which opening a session does (the store's background work opens some just
   * after the store opens); a round during which that happened proves nothing and is run again.
   */
  private void keptAcross(Function<Store.Work<Command>, Command> transaction) throws Exception {
    for (int round = 1; ; round++) {
      long settings = metaId();
      Command first = transaction.apply(ParsedStatementsTest::parsed);
      assertThrows(IllegalStateException.class, () -> transaction.apply(tx -> {
        parsed(tx);
        throw new IllegalStateException("a precondition failed");
      }));
      Command again = transaction.apply(ParsedStatementsTest::parsed);
      if (metaId() == settings) {
        assertSame(first, again, "parsed again after the failure (round " + round + ")");
        return;
      }
      assertTrue(round < 100, "H2's settings changed in every one of 100 rounds");
      Thread.sleep(50);
    }
  }

  private long metaId() {
    return store.read(tx -> session(tx).getDatabase().getModificationMetaId());
  }

  private static SessionLocal session(Tx tx) {
    try {
      return (SessionLocal) ((JdbcTx) tx).connection().unwrap(JdbcConnection.class).getSession();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The session's command for {@link #SQL}, prepared as a statement is and closed (free for the
   * next prepare to reuse): the one it parsed before, if it kept it.
   */
  private static Command parsed(Tx tx) {
    Command c = session(tx).prepareLocal(SQL);
    c.close();
    return c;
  }
}
