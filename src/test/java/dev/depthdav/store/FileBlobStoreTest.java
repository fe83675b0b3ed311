package dev.depthdav.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthdav.store.blob.FileBlobStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

class FileBlobStoreTest {
  @TempDir Path dir;

  private static ByteArrayInputStream in(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
  }

  @ParameterizedTest(name = "fsync {0}")
  @ValueSource(booleans = {true, false})
  void write_hashIsSha256AndBytesOnDisk(boolean fsync) throws Exception {
    FileBlobStore blobs = new FileBlobStore(dir, fsync, h -> true);
    String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest("abc".getBytes(StandardCharsets.UTF_8)));
    try (BlobStore.Pending p = blobs.write(in("abc"), -1)) {
      assertEquals(new Blob(expected, 3), p.blob());
      assertEquals("abc", Files.readString(blobs.path(expected)));
    }
  }

  @Test
  void write_overLimit_tooLargeAndNothingKept() throws IOException {
    FileBlobStore blobs = new FileBlobStore(dir);
    assertThrows(BlobStore.TooLarge.class, () -> blobs.write(in("0123456789"), 5));
    assertTrue(blobs.list().isEmpty());
    try (var tmp = Files.list(dir.resolve("tmp"))) {
      assertEquals(0, tmp.count());
    }
  }

  @Test
  void write_sameContentTwice_storedOnce() throws IOException {
    FileBlobStore blobs = new FileBlobStore(dir);
    blobs.write(in("same"), -1).close();
    blobs.write(in("same"), -1).close();
    assertEquals(1, blobs.list().size());
  }

  @Test
  void delete_onlyWhenUnpinnedAndUnreferenced() throws IOException {
    FileBlobStore blobs = new FileBlobStore(dir);
    BlobStore.Pending p = blobs.write(in("pinned"), -1);
    String h = p.blob().hash();
    assertFalse(blobs.deleteIfUnreferenced(h, x -> false));
    p.close();
    assertFalse(blobs.deleteIfUnreferenced(h, x -> true));
    assertTrue(Files.exists(blobs.path(h)));
    assertTrue(blobs.deleteIfUnreferenced(h, x -> false));
    assertFalse(Files.exists(blobs.path(h)));
  }
}
