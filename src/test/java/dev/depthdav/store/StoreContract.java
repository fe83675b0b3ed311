package dev.depthdav.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthdav.lock.Lock;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The behaviour every {@link Store} must have; run against each implementation. */
abstract class StoreContract {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final Instant T1 = Instant.parse("2026-01-02T00:00:00Z");
  @TempDir Path dir;
  Store store;
  private final java.util.List<BlobStore.Pending> pins = new java.util.ArrayList<>();

  /** A fresh, empty store whose blobs live under {@code dir}. */
  abstract Store open(Path dir) throws IOException;

  @BeforeEach
  void setUp() throws IOException {
    store = open(dir);
  }

  @AfterEach
  void tearDown() {
    pins.forEach(BlobStore.Pending::close);
    store.close();
  }

  /** Drops the pins of blobs made so far (their rows have committed). */
  void releasePins() {
    pins.forEach(BlobStore.Pending::close);
    pins.clear();
  }

  /** A blob, pinned until the test ends (rows that name it commit meanwhile). */
  Blob blob(String content) throws IOException {
    BlobStore.Pending p = store.blobs().write(
        new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)), -1);
    pins.add(p);
    return p.blob();
  }

  Node mkdir(String path) {
    DavPath p = DavPath.parse(path);
    return store.write(tx -> tx.createCollection(tx.resolve(p.parent()).orElseThrow().id(),
        p.name(), T0));
  }

  Node put(String path, Blob b) {
    DavPath p = DavPath.parse(path);
    return store.write(tx -> tx.createFile(tx.resolve(p.parent()).orElseThrow().id(), p.name(),
        b, "text/plain", T0));
  }

  boolean exists(String path) {
    return store.read(tx -> tx.resolve(DavPath.parse(path)).isPresent());
  }

  List<String> names(String path) {
    List<String> out = new ArrayList<>();
    store.read(tx -> {
      tx.forEachChild(tx.resolve(DavPath.parse(path)).orElseThrow().id(),
          n -> out.add(n.name()));
      return null;
    });
    return out;
  }

  @Test
  void root_existsAsEmptyCollection() {
    Node root = store.read(Tx::root);
    assertTrue(root.collection());
    assertEquals(root, store.read(tx -> tx.resolve(DavPath.ROOT).orElseThrow()));
    assertTrue(names("/").isEmpty());
  }

  @Test
  void create_resolveAndChild() throws IOException {
    Node a = mkdir("/a");
    Node f = put("/a/f.txt", blob("hello"));
    assertEquals(f, store.read(tx -> tx.resolve(DavPath.parse("/a/f.txt")).orElseThrow()));
    assertEquals(f, store.read(tx -> tx.child(a.id(), "f.txt").orElseThrow()));
    assertEquals(5, f.length());
    assertFalse(f.collection());
    assertFalse(exists("/a/f.txt/x"));
  }

  @Test
  void create_duplicateName_alreadyExists() throws IOException {
    mkdir("/a");
    assertThrows(StoreException.AlreadyExists.class, () -> mkdir("/a"));
    Blob b = blob("x");
    assertThrows(StoreException.AlreadyExists.class, () -> put("/a", b));
  }

  @Test
  void create_underFile_notACollection() throws IOException {
    Node f = put("/f", blob("x"));
    assertThrows(StoreException.NotACollection.class,
        () -> store.write(tx -> tx.createCollection(f.id(), "c", T0)));
  }

  @Test
  void create_missingParent_notFound() {
    assertThrows(StoreException.NotFound.class,
        () -> store.write(tx -> tx.createCollection(987654, "c", T0)));
  }

  @Test
  void replaceContent_newEtagLengthAndTime() throws IOException {
    Node f = put("/f", blob("one"));
    Blob two = blob("two!");
    Node g = store.write(tx -> tx.replaceContent(f.id(), two, "text/x", T1));
    assertNotEquals(f.etag(), g.etag());
    assertEquals(4, g.length());
    assertEquals(two.hash(), g.blob());
    assertEquals(T1, g.modified());
    assertEquals(f.created(), g.created());
  }

  @Test
  void forEachChild_nameOrderAndNestedWalk() throws IOException {
    mkdir("/b");
    mkdir("/a");
    mkdir("/a/y");
    put("/a/x", blob("x"));
    put("/a/y/z", blob("z"));
    assertEquals(List.of("a", "b"), names("/"));
    List<String> walked = new ArrayList<>();
    store.read(tx -> {
      walk(tx, tx.root(), "", walked);
      return null;
    });
    assertEquals(List.of("/a", "/a/x", "/a/y", "/a/y/z", "/b"), walked);
  }

  private static void walk(Tx tx, Node n, String path, List<String> out) {
    tx.forEachChild(n.id(), c -> {
      out.add(path + "/" + c.name());
      if (c.collection()) {
        walk(tx, c, path + "/" + c.name(), out);
      }
    });
  }

  @Test
  void resolve_deepPath_everyPrefixAndEveryMissingSegment() throws IOException {
    // Deeper than the JDBC store resolves in one statement (8 segments), so that steps join.
    StringBuilder path = new StringBuilder();
    List<Node> made = new ArrayList<>();
    for (int depth = 1; depth <= 20; depth++) {
      path.append("/d").append(depth);
      made.add(mkdir(path.toString()));
    }
    made.add(put(path + "/f", blob("deep")));
    String full = path + "/f";
    List<String> names = DavPath.parse(full).names();
    for (int k = 1; k <= names.size(); k++) {
      DavPath prefix = new DavPath(names.subList(0, k));
      assertEquals(made.get(k - 1), store.read(tx -> tx.resolve(prefix).orElseThrow()), prefix
          .toString());
      List<String> wrong = new ArrayList<>(names.subList(0, k));
      wrong.set(k - 1, "x");
      assertFalse(store.read(tx -> tx.resolve(new DavPath(wrong))).isPresent(), wrong.toString());
    }
    assertFalse(exists(full + "/below-a-file"));
  }

  @Test
  void resolve_throughAFile_isEmptyAtEveryDepth() throws IOException {
    StringBuilder path = new StringBuilder();
    for (int depth = 1; depth <= 17; depth++) {
      put(path + "/f", blob("f" + depth));
      assertFalse(exists(path + "/f/x"), path + "/f/x");
      assertFalse(exists(path + "/f/x/y/z"), path + "/f/x/y/z");
      path.append("/d").append(depth);
      mkdir(path.toString());
    }
  }

  @Test
  void resolve_namesWithSqlAndUrlCharacters_matchExactly() throws IOException {
    List<String> names = List.of("it's", "100%", "a_b", "a\\b", "\u00fc \u00f1 \u65e5\u672c",
        "  two  spaces ", "a;b?c#d", "%25", "\"quoted\"", "#trash", "\ud83d\ude00");
    for (String n : names) {
      mkdir("/" + n);
      put("/" + n + "/" + n, blob(n));
    }
    mkdir("/axb"); // "a_b" as a LIKE pattern would match it
    for (String n : names) {
      Node dir = store.read(tx -> tx.resolve(new DavPath(List.of(n))).orElseThrow());
      assertEquals(n, dir.name());
      Node f = store.read(tx -> tx.resolve(new DavPath(List.of(n, n))).orElseThrow());
      assertEquals(n, f.name());
      assertEquals(dir.id(), f.parentId());
    }
    assertFalse(exists("/a%b"));
    assertFalse(exists("/a_b/axb"));
  }

  @Test
  void resolve_afterMoveAndDetach_followsTheRowsNow() throws IOException {
    String deep = "/a/b/c/d/e/f/g/h/i/j";
    StringBuilder p = new StringBuilder();
    for (String n : DavPath.parse(deep).names()) {
      p.append('/').append(n);
      mkdir(p.toString());
    }
    Node file = put(deep + "/file", blob("x"));
    mkdir("/z");
    Node c = store.read(tx -> tx.resolve(DavPath.parse("/a/b/c")).orElseThrow());
    Node z = store.read(tx -> tx.resolve(DavPath.parse("/z")).orElseThrow());
    store.write(tx -> tx.move(c.id(), z.id(), "moved", T1));
    assertFalse(exists(deep + "/file"));
    assertEquals(file, store.read(tx -> tx.resolve(
        DavPath.parse("/z/moved/d/e/f/g/h/i/j/file")).orElseThrow()));
    store.write(tx -> {
      tx.detach(z.id());
      return null;
    });
    assertFalse(exists("/z/moved/d/e/f/g/h/i/j/file"));
    assertFalse(exists("/z"));
    assertFalse(exists("/#" + z.id())); // the trash's names are not reachable from the root
    assertTrue(exists("/a/b"));
  }

  @Test
  void move_subtreeFollowsAndOldNameFree() throws IOException {
    mkdir("/a");
    mkdir("/a/b");
    put("/a/b/f", blob("f"));
    mkdir("/dst");
    Node a = store.read(tx -> tx.resolve(DavPath.parse("/a")).orElseThrow());
    Node dst = store.read(tx -> tx.resolve(DavPath.parse("/dst")).orElseThrow());
    store.write(tx -> tx.move(a.id(), dst.id(), "renamed", T1));
    assertTrue(exists("/dst/renamed/b/f"));
    assertFalse(exists("/a"));
    mkdir("/a");
    assertThrows(StoreException.AlreadyExists.class,
        () -> store.write(tx -> tx.move(dst.id(), tx.root().id(), "a", T1)));
  }

  @Test
  void detach_freesNameAndHidesSubtree() throws IOException {
    mkdir("/a");
    mkdir("/a/b");
    put("/a/b/f", blob("f"));
    Node a = store.read(tx -> tx.resolve(DavPath.parse("/a")).orElseThrow());
    store.write(tx -> {
      tx.detach(a.id());
      return null;
    });
    assertFalse(exists("/a"));
    assertFalse(exists("/a/b/f"));
    assertEquals(List.of(), names("/"));
    mkdir("/a");
    assertEquals(List.of(), names("/a"));
  }

  @Test
  void copy_deepCopiesTreeAndPropertiesSharingBlobs() throws IOException {
    mkdir("/s");
    mkdir("/s/d");
    Node f = put("/s/d/f", blob("content"));
    store.write(tx -> {
      tx.setProperty(f.id(), new QName("urn:z", "p"), "<z:p xmlns:z=\"urn:z\">v</z:p>");
      return null;
    });
    Node s = store.read(tx -> tx.resolve(DavPath.parse("/s")).orElseThrow());
    Node c = store.write(tx -> tx.copy(s.id(), tx.root().id(), "c", true, T1));
    assertEquals("c", c.name());
    assertNotEquals(s.id(), c.id());
    Node g = store.read(tx -> tx.resolve(DavPath.parse("/c/d/f")).orElseThrow());
    assertNotEquals(f.id(), g.id());
    assertNotEquals(f.etag(), g.etag());
    assertEquals(f.blob(), g.blob());
    assertEquals(T1, g.created());
    assertEquals(Map.of(new QName("urn:z", "p"), "<z:p xmlns:z=\"urn:z\">v</z:p>"),
        store.read(tx -> tx.properties(g.id())));
    assertTrue(exists("/s/d/f"));
  }

  @Test
  void copy_reportsEveryCopiedResource() throws IOException {
    mkdir("/s");
    mkdir("/s/d");
    Blob b = blob("x");
    for (int i = 0; i < 5; i++) {
      put("/s/d/f" + i, b);
    }
    Node s = store.read(tx -> tx.resolve(DavPath.parse("/s")).orElseThrow());
    long[] copied = {0};
    store.write(tx -> tx.copy(s.id(), tx.root().id(), "c", true, T1, n -> copied[0] += n));
    assertEquals(7, copied[0]);
    copied[0] = 0;
    store.write(tx -> tx.copy(s.id(), tx.root().id(), "shallow", false, T1,
        n -> copied[0] += n));
    assertEquals(1, copied[0]);
  }

  @Test
  void copy_shallow_onlyTheCollection() throws IOException {
    mkdir("/s");
    put("/s/f", blob("x"));
    Node s = store.read(tx -> tx.resolve(DavPath.parse("/s")).orElseThrow());
    store.write(tx -> tx.copy(s.id(), tx.root().id(), "c", false, T1));
    assertTrue(exists("/c"));
    assertEquals(List.of(), names("/c"));
  }

  @Test
  void copy_distinctEtagsPerRow() throws IOException {
    mkdir("/s");
    put("/s/a", blob("x"));
    put("/s/b", blob("x"));
    Node s = store.read(tx -> tx.resolve(DavPath.parse("/s")).orElseThrow());
    store.write(tx -> tx.copy(s.id(), tx.root().id(), "c", true, T1));
    String ea = store.read(tx -> tx.resolve(DavPath.parse("/c/a")).orElseThrow().etag());
    String eb = store.read(tx -> tx.resolve(DavPath.parse("/c/b")).orElseThrow().etag());
    assertNotEquals(ea, eb);
  }

  @Test
  void write_throwing_rollsBackEverything() {
    assertThrows(IllegalStateException.class, () -> store.write(tx -> {
      tx.createCollection(tx.root().id(), "gone", T0);
      throw new IllegalStateException("boom");
    }));
    assertFalse(exists("/gone"));
    mkdir("/gone");
    assertTrue(exists("/gone"));
  }

  @Test
  void properties_setOverwriteRemoveExactValues() {
    Node a = mkdir("/a");
    QName p = new QName("urn:x", "p");
    String value = "<x:p xmlns:x=\"urn:x\" xml:lang=\"en\">mixed <b>\uD800\uDC00</b> text</x:p>";
    store.write(tx -> {
      tx.setProperty(a.id(), p, "<x:p xmlns:x=\"urn:x\">old</x:p>");
      tx.setProperty(a.id(), p, value);
      tx.setProperty(a.id(), new QName("", "plain"), "<plain/>");
      return null;
    });
    assertEquals(value, store.read(tx -> tx.property(a.id(), p).orElseThrow()));
    assertEquals(2, store.read(tx -> tx.properties(a.id())).size());
    store.write(tx -> {
      tx.removeProperty(a.id(), p);
      tx.removeProperty(a.id(), new QName("urn:x", "absent"));
      return null;
    });
    assertTrue(store.read(tx -> tx.property(a.id(), p)).isEmpty());
  }

  @Test
  void page_membersInNameOrder_afterAName_eachWithItsOwnProperties() throws IOException {
    Node d = mkdir("/d");
    Node c = put("/d/c", blob("c"));
    mkdir("/d/a");
    Node b = put("/d/b", blob("b"));
    put("/d/a/inner", blob("i"));
    QName p = new QName("urn:x", "p");
    QName q = new QName("urn:a", "q");
    store.write(tx -> {
      tx.setProperty(c.id(), p, "<x:p xmlns:x=\"urn:x\">c</x:p>");
      tx.setProperty(c.id(), q, "<a:q xmlns:a=\"urn:a\">c</a:q>");
      tx.setProperty(b.id(), p, "<x:p xmlns:x=\"urn:x\">b</x:p>");
      return null;
    });
    List<String> seen = new ArrayList<>();
    store.read(tx -> {
      for (Tx.Member m : tx.page(d.id(), null, 10, true)) {
        seen.add(m.node().name() + "=" + m.props().keySet());
        assertEquals(tx.properties(m.node().id()), m.props());
      }
      seen.add("|");
      tx.page(d.id(), "a", 1, false).forEach(m -> seen.add(m.node().name() + "=" + m.props()));
      tx.page(d.id(), "c", 10, true).forEach(m -> seen.add("after c: " + m.node().name()));
      return null;
    });
    assertEquals(List.of("a=[]", "b=[{urn:x}p]", "c=[{urn:a}q, {urn:x}p]", "|", "b={}"), seen);
  }

  @Test
  void countSubtree_countsTheResourceAndEverythingBelow() throws IOException {
    Node a = mkdir("/a");
    mkdir("/a/b");
    mkdir("/a/b/c");
    put("/a/b/c/f", blob("f"));
    Node g = put("/a/g", blob("g"));
    mkdir("/other");
    long underA = store.read(tx -> tx.countSubtree(a.id(), Long.MAX_VALUE));
    long file = store.read(tx -> tx.countSubtree(g.id(), Long.MAX_VALUE));
    long all = store.read(tx -> tx.countSubtree(tx.root().id(), Long.MAX_VALUE));
    assertEquals(5, underA);
    assertEquals(1, file);
    assertEquals(7, all);
  }

  @Test
  void locks_rollBackWithTheWriteTheyArePartOf() {
    Lock l = new Lock("urn:uuid:rolled-back", "/f", true, false, null, "alice", T0,
        T0.plusSeconds(60));
    assertThrows(IllegalStateException.class, () -> store.write(tx -> {
      tx.locks().create(l, T0);
      throw new IllegalStateException("the change the lock guarded failed");
    }));
    assertTrue(store.read(tx -> tx.locks().get(l.token(), T0)).isEmpty());
    store.write(tx -> tx.locks().create(l, T0));
    assertEquals(l, store.read(tx -> tx.locks().get(l.token(), T0)).orElseThrow());
  }

  @Test
  void bytesBelow_sumsEveryFileOnce_sharedContentCountedPerFile() throws IOException {
    Node a = mkdir("/a");
    mkdir("/a/b");
    put("/a/b/f", blob("four"));
    put("/a/b/same", blob("four")); // the same content: stored once, counted twice
    Node g = put("/a/g", blob("sixsix"));
    put("/outside", blob("0123456789"));
    Node empty = mkdir("/empty");
    long underA = store.read(tx -> tx.bytesBelow(a.id()));
    long file = store.read(tx -> tx.bytesBelow(g.id()));
    long all = store.read(tx -> tx.bytesBelow(tx.root().id()));
    long none = store.read(tx -> tx.bytesBelow(empty.id()));
    assertEquals(14, underA);
    assertEquals(6, file);
    assertEquals(24, all);
    assertEquals(0, none);
  }

  @Test
  void touch_changesEtag() {
    Node a = mkdir("/a");
    Node b = store.write(tx -> tx.touch(a.id(), T1));
    assertNotEquals(a.etag(), b.etag());
    assertEquals(T1, b.modified());
  }
}
