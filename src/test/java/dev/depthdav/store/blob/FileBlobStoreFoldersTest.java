package dev.depthdav.store.blob;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which folders a blob write forces (fsync of the directory): the blob's own folder for its
 * name, and, when the write made {@code ab/} or {@code ab/cd/}, the folder holding each new one,
 * or a crash could take the new folder, and the acknowledged blob in it, away.
 */
class FileBlobStoreFoldersTest {
  @TempDir Path root;

  @Test
  void firstBlobOfNewFolders_forcesEachNewFoldersParentThenItsOwn() throws Exception {
    FileBlobStore blobs = new FileBlobStore(root, true, h -> true);
    List<Path> forced = new ArrayList<>();
    blobs.observeForcedFolders(forced::add);
    String hash = write(blobs, "first");
    Path cd = blobs.path(hash).getParent();
    assertEquals(List.of(root.toAbsolutePath(), cd.getParent().toAbsolutePath(), cd), forced);
  }

  @Test
  void secondBlobInTheSameFolder_forcesOnlyThatFolder() throws Exception {
    FileBlobStore blobs = new FileBlobStore(root, true, h -> true);
    String first = write(blobs, "first");
    List<Path> forced = new ArrayList<>();
    blobs.observeForcedFolders(forced::add);
    // another blob in the same ab/cd/ folder: found by trying contents until one lands there
    Path cd = blobs.path(first).getParent();
    for (int i = 0; ; i++) {
      String hash = FileBlobStoreFoldersTest.hash("other " + i);
      if (blobs.path(hash).getParent().equals(cd)) {
        write(blobs, "other " + i);
        break;
      }
    }
    assertEquals(List.of(cd), forced);
  }

  @Test
  void withoutFsync_forcesNothing() throws Exception {
    FileBlobStore blobs = new FileBlobStore(root, false, h -> true);
    List<Path> forced = new ArrayList<>();
    blobs.observeForcedFolders(forced::add);
    write(blobs, "first");
    assertEquals(List.of(), forced);
  }

  private static String write(FileBlobStore blobs, String s) throws Exception {
    try (var p = blobs.write(new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8)), -1)) {
      return p.blob().hash();
    }
  }

  private static String hash(String s) throws Exception {
    return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
        .digest(s.getBytes(StandardCharsets.UTF_8)));
  }
}
