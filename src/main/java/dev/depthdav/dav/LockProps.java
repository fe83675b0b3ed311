package dev.depthdav.dav;

import dev.depthdav.dav.xml.Hrefs;
import dev.depthdav.dav.xml.XmlWriter;
import dev.depthdav.lock.Lock;
import dev.depthdav.lock.Timeout;
import dev.depthdav.store.DavPath;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The lock live properties: DAV:lockdiscovery and DAV:supportedlock (RFC 4918 §15.8, §15.10). */
final class LockProps {
  private static final String DAV = "DAV:";

  private LockProps() {}

  static void lockdiscovery(XmlWriter w, List<Lock> locks, Instant now) {
    if (locks.isEmpty()) {
      w.empty(DAV, "lockdiscovery");
      return;
    }
    w.start(DAV, "lockdiscovery");
    for (Lock l : locks) {
      activelock(w, l, now);
    }
    w.end();
  }

  static void activelock(XmlWriter w, Lock l, Instant now) {
    w.start(DAV, "activelock");
    w.start(DAV, "locktype");
    w.empty(DAV, "write");
    w.end();
    w.start(DAV, "lockscope");
    w.empty(DAV, l.exclusive() ? "exclusive" : "shared");
    w.end();
    w.element(DAV, "depth", l.infinite() ? "infinity" : "0");
    if (l.ownerXml() != null) {
      w.raw(l.ownerXml()); // RFC 4918 §14.17: returned exactly as the client sent it
    }
    w.element(DAV, "timeout", Timeout.format(Duration.between(now, l.expires())));
    w.start(DAV, "locktoken");
    w.element(DAV, "href", l.token());
    w.end();
    w.start(DAV, "lockroot");
    // the lock's root as the client sees it (Exchange#visible made it so)
    w.element(DAV, "href", Hrefs.encode(DavPath.parse(l.root()), false));
    w.end();
    w.end();
  }

  /** DAV:supportedlock, the same for every resource: written out once. */
  private static final String SUPPORTEDLOCK = XmlWriter.renderDav(LockProps::writeSupportedlock);

  static void supportedlock(XmlWriter w) {
    w.davFragment(SUPPORTEDLOCK);
  }

  private static void writeSupportedlock(XmlWriter w) {
    w.start(DAV, "supportedlock");
    for (String scope : new String[] {"exclusive", "shared"}) {
      w.start(DAV, "lockentry");
      w.start(DAV, "lockscope");
      w.empty(DAV, scope);
      w.end();
      w.start(DAV, "locktype");
      w.empty(DAV, "write");
      w.end();
      w.end();
    }
    w.end();
  }
}
