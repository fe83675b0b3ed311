package dev.depthdav.testing;

import dev.depthdav.store.Blob;
import dev.depthdav.store.BlobStore;
import dev.depthdav.store.Node;
import dev.depthdav.store.jdbc.JdbcStore;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Fills a data folder with a tree of N resources straight through the store, for measuring
 * PROPFIND over large trees: {@code BuildTree DATA N}. Folders of 100 members, 10 levels deep
 * at most, files sharing one blob. {@code BuildTree DATA N flat} puts N - 1 files in the one
 * folder instead, for measuring a browser's view of a huge folder.
 */
public final class BuildTree {
  public static void main(String[] args) throws Exception {
    Path data = Path.of(args[0]);
    long total = Long.parseLong(args[1]);
    int fanout = args.length > 2 && args[2].equals("flat") ? Integer.MAX_VALUE : 100;
    try (JdbcStore store = JdbcStore.open(data)) {
      // The pin is held until the rows that name the blob have committed (BlobStore.write).
      BlobStore.Pending pending = store.blobs().write(
          new ByteArrayInputStream("hello\n".getBytes(StandardCharsets.UTF_8)), -1);
      Blob blob = pending.blob();
      Instant now = Instant.now();
      long[] made = {0};
      store.write(tx -> {
        Node top = tx.createCollection(tx.root().id(), "tree", now);
        made[0]++;
        java.util.ArrayDeque<Node> dirs = new java.util.ArrayDeque<>();
        dirs.add(top);
        while (made[0] < total && !dirs.isEmpty()) {
          Node d = dirs.poll();
          for (int i = 0; i < fanout && made[0] < total; i++) {
            if (i < 10 && fanout == 100) {
              dirs.add(tx.createCollection(d.id(), "dir " + i, now));
            } else {
              tx.createFile(d.id(), "file-" + i + ".txt", blob, "text/plain", now);
            }
            made[0]++;
          }
        }
        return null;
      });
      pending.close();
      System.out.println("created " + made[0] + " resources under /tree/");
    }
  }
}
