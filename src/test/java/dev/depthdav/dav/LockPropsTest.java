package dev.depthdav.dav;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.depthdav.dav.xml.XmlWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The lock live properties. */
class LockPropsTest {
  /** DAV:supportedlock, written once and then as a fragment: both lock scopes, write locks. */
  @Test
  void supportedlock_listsExclusiveAndSharedWriteLocks() {
    StringWriter out = new StringWriter();
    XmlWriter w = new XmlWriter(out);
    w.start("DAV:", "prop");
    LockProps.supportedlock(w);
    w.end();
    w.flush();
    assertEquals("<D:prop xmlns:D=\"DAV:\"><D:supportedlock>"
        + "<D:lockentry><D:lockscope><D:exclusive/></D:lockscope>"
        + "<D:locktype><D:write/></D:locktype></D:lockentry>"
        + "<D:lockentry><D:lockscope><D:shared/></D:lockscope>"
        + "<D:locktype><D:write/></D:locktype></D:lockentry>"
        + "</D:supportedlock></D:prop>", out.toString());
  }
}
