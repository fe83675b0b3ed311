package dev.depthdav.dav;

import dev.depthdav.lock.Lock;
import java.io.IOException;

/** UNLOCK (RFC 4918 §9.11). */
final class UnlockMethod implements Method {
  @Override
  public void handle(Exchange x) throws IOException {
    String header = x.header("Lock-Token");
    if (header == null) {
      throw new DavError(400, "UNLOCK needs a Lock-Token header");
    }
    String value = header.trim();
    if (value.length() < 3 || value.charAt(0) != '<' || value.charAt(value.length() - 1) != '>') {
      throw new DavError(400, "Lock-Token must be a Coded-URL: <token>");
    }
    String token = value.substring(1, value.length() - 1);
    x.store.writeToFree(tx -> {
      Lock lock = tx.locks().get(token, x.now()).orElse(null);
      // RFC 4918 §9.11.1: the token must name a lock that covers the Request-URI.
      if (lock == null || !lock.covers(LockGate.key(x.path()))) {
        throw new DavError(409, "lock-token-matches-request-uri",
            "the token names no lock covering " + x.path());
      }
      // RFC 4918 §6.4, §9.11: the lock is the principal's that took it; an administrator may
      // remove any (as it could through /.depthdav/locks).
      if (!x.owns(lock) && !x.principal().admin()) {
        throw new DavError(403, "the lock belongs to another user");
      }
      tx.locks().remove(token);
      return null;
    });
    x.status(204);
  }
}
