package dev.depthdav.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class HtpasswdTest {
  /** Written by Apache htpasswd -nbB -C 5 alice 'wonder land:1'. */
  static final String ALICE = "alice:$2y$05$PIrpOhmq0V6UzqGgiWd7/ezSkmb0WGvlUz2VrhIEHTDu4TsZt/XAG";

  /** crypt_blowfish's test vector for "U*U". */
  static final String BOB = "bob:$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW";

  /** Written by htpasswd -nbm and -nbs: formats we cannot check. */
  static final String CAROL_APR1 = "carol:$apr1$KcdRdG9n$3jCYYIyWcwhw4tBXJD4sn/";

  static final String DAVE_SHA = "dave:{SHA}lcsL/Sl3x2EpjZYk5LTUxyo5l0o=";

  @TempDir Path dir;
  final FakeClock clock = new FakeClock();
  final ListAppender<ILoggingEvent> log = new ListAppender<>();
  final Logger logger = (Logger) LoggerFactory.getLogger(Htpasswd.class);
  Path file;

  @BeforeEach
  void setUp() {
    file = dir.resolve("htpasswd");
    log.start();
    logger.addAppender(log);
  }

  @AfterEach
  void tearDown() {
    logger.detachAppender(log);
  }

  @Test
  void verify_bcryptEntries_rightPasswordOnly() throws IOException {
    Htpasswd h = load("# users", "", ALICE, "  # indented comment", BOB);
    assertTrue(h.verify("alice", "wonder land:1".toCharArray()));
    assertFalse(h.verify("alice", "wonder land".toCharArray()));
    assertTrue(h.verify("bob", "U*U".toCharArray()));
    assertFalse(h.verify("nobody", "U*U".toCharArray()));
    assertEquals(List.of("alice", "bob"), List.copyOf(h.users()));
  }

  @Test
  void load_otherFormats_cannotLogInAndWarnOnceWithoutHash() throws IOException {
    Htpasswd h = load(ALICE, CAROL_APR1, DAVE_SHA);
    assertFalse(h.has("carol"));
    assertFalse(h.verify("carol", "x".toCharArray()));
    assertFalse(h.has("dave"));
    assertEquals(Set.of("alice"), h.users());
    List<String> warnings = messages();
    assertEquals(2, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).contains("carol") && warnings.get(0).contains("line 2"));
    assertTrue(warnings.get(1).contains("dave") && warnings.get(1).contains("line 3"));
    assertTrue(warnings.stream().noneMatch(w -> w.contains("KcdRdG9n") || w.contains("lcsL")));

    write(ALICE, CAROL_APR1, DAVE_SHA, BOB); // re-read: the same entries are not warned again
    clock.advance(Duration.ofSeconds(1));
    assertTrue(h.has("bob"));
    assertEquals(2, messages().size());
  }

  @Test
  void load_lineWithoutColon_skippedAndWarnedWithoutContent() throws IOException {
    Htpasswd h = load("s3cretpassword", ALICE);
    assertEquals(Set.of("alice"), h.users());
    assertTrue(messages().get(0).contains("line 1"));
    assertFalse(messages().get(0).contains("s3cret"));
  }

  @Test
  void load_userTwice_firstLineCounts() throws IOException {
    Htpasswd h = load(BOB, "bob:$2a$05$CCCCCCCCCCCCCCCCCCCCC.VGOzA784oUp/Z0DY336zx7pLYAy0lwK");
    assertTrue(h.verify("bob", "U*U".toCharArray()));
    assertFalse(h.verify("bob", "U*U*".toCharArray()));
  }

  @Test
  void load_missingFile_throws() {
    assertThrows(NoSuchFileException.class, () -> Htpasswd.load(file, clock));
  }

  @Test
  void has_fileChanged_newContentAfterOneSecond() throws IOException {
    Htpasswd h = load(ALICE);
    write(ALICE, BOB);
    assertFalse(h.has("bob"), "looked at most once a second");
    clock.advance(Duration.ofMillis(999));
    assertFalse(h.has("bob"));
    clock.advance(Duration.ofMillis(1));
    assertTrue(h.has("bob"));
  }

  @Test
  void has_sameSizeNewTime_reread() throws IOException {
    Htpasswd h = load(ALICE);
    FileTime before = Files.getLastModifiedTime(file);
    write(ALICE.replace("alice", "alicf"));
    Files.setLastModifiedTime(file, FileTime.fromMillis(before.toMillis() + 2000));
    clock.advance(Duration.ofSeconds(1));
    assertTrue(h.has("alicf"));
    assertFalse(h.has("alice"));
  }

  @Test
  void has_fileRemoved_keepsLastGoodContentAndWarnsOnce() throws IOException {
    Htpasswd h = load(ALICE);
    Files.delete(file);
    for (int i = 0; i < 3; i++) {
      clock.advance(Duration.ofSeconds(1));
      assertTrue(h.verify("alice", "wonder land:1".toCharArray()));
    }
    assertEquals(1, messages().size(), messages().toString());
    assertTrue(messages().get(0).contains("keeping the 1 users"));

    write(BOB);
    clock.advance(Duration.ofSeconds(1));
    assertEquals(Set.of("bob"), h.users());
  }

  private Htpasswd load(String... lines) throws IOException {
    write(lines);
    return Htpasswd.load(file, clock);
  }

  private void write(String... lines) throws IOException {
    Files.write(file, List.of(lines), StandardCharsets.UTF_8);
  }

  private List<String> messages() {
    return log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
  }
}
