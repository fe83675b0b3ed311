package dev.depthdav.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthdav.store.jdbc.JdbcStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The contract on H2, plus what only a durable store has: restarts and the purger. */
class H2StoreTest extends StoreContract {
  @Override
  Store open(Path dir) {
    return JdbcStore.open(dir.resolve("data"));
  }

  @Test
  void reopen_keepsTreeAndProperties() throws IOException {
    Node a = mkdir("/a");
    put("/a/f", blob("kept"));
    store.write(tx -> {
      tx.setProperty(a.id(), new QName("urn:z", "p"), "<z:p xmlns:z=\"urn:z\"/>");
      return null;
    });
    store.close();
    store = open(dir);
    assertTrue(exists("/a/f"));
    assertEquals(1, store.read(tx -> tx.properties(a.id())).size());
    mkdir("/b"); // ids continue past the old ones
    assertTrue(exists("/b"));
  }

  @Test
  void ids_neverHandedOutAgain_afterThePurgeOfTheNewestRowsAndARestart() {
    Node gone = mkdir("/newest");
    store.write(tx -> {
      tx.detach(gone.id());
      return null;
    });
    ((JdbcStore) store).purgeNow();
    store.close();
    store = open(dir);
    Node next = mkdir("/next");
    assertTrue(next.id() > gone.id(), next.id() + " after " + gone.id());
  }

  @Test
  void purger_removesDetachedRowsAndUnsharedBlobsOnly() throws IOException {
    mkdir("/a");
    mkdir("/a/b");
    Node shared = put("/a/b/shared", blob("shared"));
    Node only = put("/a/b/only", blob("only here"));
    put("/keep", blob("shared"));
    Node a = store.read(tx -> tx.resolve(DavPath.parse("/a")).orElseThrow());
    store.write(tx -> {
      tx.setProperty(only.id(), new QName("urn:z", "p"), "<z:p xmlns:z=\"urn:z\"/>");
      tx.detach(a.id());
      return null;
    });
    releasePins();
    ((JdbcStore) store).purgeNow();
    assertTrue(store.read(tx -> tx.get(only.id())).isEmpty());
    assertTrue(store.read(tx -> tx.properties(only.id())).isEmpty());
    assertFalse(Files.exists(store.blobs().localPath(only.blob()).orElseThrow()));
    assertTrue(Files.exists(store.blobs().localPath(shared.blob()).orElseThrow()));
    assertEquals("shared",
        Files.readString(store.blobs().localPath(shared.blob()).orElseThrow()));
  }

  @Test
  void copy_tenThousandResources_allResolvable() throws IOException {
    Blob b = blob("x");
    store.write(tx -> {
      Node top = tx.createCollection(tx.root().id(), "big", T0);
      for (int d = 0; d < 100; d++) {
        Node dir = tx.createCollection(top.id(), "d" + d, T0);
        for (int f = 0; f < 99; f++) {
          tx.createFile(dir.id(), "f" + f, b, null, T0);
        }
      }
      return null;
    });
    Node big = store.read(tx -> tx.resolve(DavPath.parse("/big")).orElseThrow());
    store.write(tx -> tx.copy(big.id(), tx.root().id(), "copy", true, T1));
    int[] count = {0};
    store.read(tx -> {
      Node c = tx.resolve(DavPath.parse("/copy")).orElseThrow();
      tx.forEachChild(c.id(), d -> tx.forEachChild(d.id(), f -> count[0]++));
      return null;
    });
    assertEquals(9900, count[0]);
    assertTrue(exists("/copy/d99/f98"));
  }
}
