package dev.depthdav.dav;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthdav.server.DavServer;
import dev.depthdav.server.TestServers;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** No client can pile up locks without end: caps per resource (423) and per principal (403). */
class LockLimitsTest {
  private static final String SHARED = "<?xml version=\"1.0\"?><D:lockinfo xmlns:D=\"DAV:\">"
      + "<D:lockscope><D:shared/></D:lockscope><D:locktype><D:write/></D:locktype>"
      + "</D:lockinfo>";
  @TempDir Path data;
  DavServer server;
  Http http;

  @BeforeEach
  void start() throws Exception {
    server = TestServers.start(data, c -> c.withLockCaps(3, 5), s -> s);
    http = new Http(server.uri());
  }

  @AfterEach
  void stop() throws Exception {
    TestServers.stop(server);
  }

  @Test
  void sharedLocksOnOneResource_pastTheCap_423_withTheReason() throws Exception {
    assertEquals(201, http.send("PUT", "/f", "x").statusCode());
    for (int i = 0; i < 3; i++) {
      assertEquals(200, http.send("LOCK", "/f", SHARED).statusCode(), "lock " + i);
    }
    HttpResponse<String> r = http.send("LOCK", "/f", SHARED);
    assertEquals(423, r.statusCode(), r.body());
    assertTrue(r.body().contains("--max-locks-per-resource"), r.body());
    String found = http.send("PROPFIND", "/f", null, "Depth", "0").body();
    assertEquals(3, found.split("<D:activelock>", -1).length - 1, found);
  }

  @Test
  void inheritedLock_listedOnMembersWithoutItsOwner_ownerOnceAtTheRoot() throws Exception {
    assertEquals(201, http.send("MKCOL", "/c/", null).statusCode());
    for (int i = 0; i < 3; i++) {
      assertEquals(201, http.send("PUT", "/c/f" + i, "x").statusCode());
    }
    String owner = "<D:owner><D:href>" + "o".repeat(10_000) + "</D:href></D:owner>";
    String lockinfo = SHARED.replace("</D:lockinfo>", owner + "</D:lockinfo>");
    assertEquals(200, http.send("LOCK", "/c/", lockinfo, "Depth", "infinity").statusCode());
    String listing = http.send("PROPFIND", "/c/", null, "Depth", "1").body();
    assertEquals(4, listing.split("<D:activelock>", -1).length - 1, "the lock applies to all 4");
    assertEquals(1, listing.split("o".repeat(10_000), -1).length - 1, "its owner is listed once");
  }

  @Test
  void locksOfOnePrincipal_pastTheCap_403() throws Exception {
    for (int i = 0; i < 5; i++) {
      assertEquals(201, http.send("PUT", "/g" + i, "x").statusCode());
      assertEquals(200, http.send("LOCK", "/g" + i, SHARED).statusCode(), "lock " + i);
    }
    assertEquals(201, http.send("PUT", "/g5", "x").statusCode());
    HttpResponse<String> r = http.send("LOCK", "/g5", SHARED);
    assertEquals(403, r.statusCode(), r.body());
    assertTrue(r.body().contains("--max-locks"), r.body());
  }
}
