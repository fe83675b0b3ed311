package dev.depthdav.dav;

import dev.depthdav.dav.xml.BadRequestException;
import dev.depthdav.dav.xml.Depth;
import dev.depthdav.dav.xml.LockinfoBody;
import dev.depthdav.dav.xml.XmlWriter;
import dev.depthdav.lock.Lock;
import dev.depthdav.lock.LockConflictException;
import dev.depthdav.lock.LockStore;
import dev.depthdav.lock.Timeout;
import dev.depthdav.store.Blob;
import dev.depthdav.store.BlobStore;
import dev.depthdav.store.DavPath;
import dev.depthdav.store.Node;
import dev.depthdav.store.Tx;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.w3c.dom.Document;

/**
 * LOCK (RFC 4918 §9.10): a new lock from a DAV:lockinfo body, or, without a body, a refresh of
 * the lock whose token the If header submits. LOCK on an unmapped URL creates an empty resource
 * and answers 201 (RFC 4918 §7.3).
 */
final class LockMethod implements Method {
  private static final String DAV = "DAV:";

  @Override
  public void handle(Exchange x) throws IOException {
    Document doc = x.xmlBody();
    Duration timeout = Timeout.parse(x.header("Timeout"), x.settings.lockTimeout(),
        x.settings.maxLockTimeout());
    if (doc == null) {
      refresh(x, timeout);
      return;
    }
    LockinfoBody info;
    Depth depth;
    try {
      info = LockinfoBody.parse(doc);
      depth = Depth.parse(x.header("Depth"), Depth.INFINITY);
    } catch (BadRequestException e) {
      throw new DavError(400, e.getMessage());
    }
    if (depth == Depth.ONE) {
      throw new DavError(400, "LOCK takes Depth 0 or infinity (RFC 4918 §9.10.3)");
    }
    Instant now = x.now();
    Lock wanted = new Lock(LockStore.newToken(), LockGate.key(x.path()), info.exclusive(),
        depth == Depth.INFINITY, info.ownerXml(), x.principal().name(), now, now.plus(timeout));
    boolean[] created = {false};
    Lock granted;
    // The empty content of a resource the LOCK may create stays pinned until the row that names
    // it has committed (BlobStore.write): released earlier, nothing would keep it.
    try (BlobStore.Pending empty = x.store.blobs().write(new ByteArrayInputStream(new byte[0]),
        0)) {
      // A Depth: infinity lock checks a whole subtree for conflicts: a depth operation.
      granted = depth == Depth.INFINITY
          ? x.operate(() -> grant(x, wanted, empty.blob(), created))
          : grant(x, wanted, empty.blob(), created);
      if (created[0]) {
        empty.stored();
      }
    }
    x.resp.setHeader("Lock-Token", "<" + granted.token() + ">");
    respond(x, created[0] ? 201 : 200, granted);
  }

  /**
   * Caps on locks, so that no client can pile up locks without end (each is listed in the
   * lockdiscovery of its resource and, with Depth: infinity, of everything below): per resource
   * 423, per principal 403. Checked inside the write, so concurrent LOCKs cannot both pass.
   */
  private static void limit(Exchange x, Tx tx, Lock wanted, Instant now) {
    int perResource = x.settings.maxLocksPerResource();
    long here = tx.locks().covering(wanted.root(), now).stream()
        .filter(l -> l.root().equals(wanted.root())).count();
    if (here >= perResource) {
      throw new DavError(Status.LOCKED, x.path() + " already has " + here
          + " locks, the most one resource may have (--max-locks-per-resource)");
    }
    int perPrincipal = x.settings.maxLocksPerPrincipal();
    long held = tx.locks().all(now).stream()
        .filter(l -> java.util.Objects.equals(l.principal(), wanted.principal())).count();
    if (held >= perPrincipal) {
      throw new DavError(403, "this principal already holds " + held
          + " locks, the most one may hold (--max-locks)");
    }
  }

  /** Creates the lock (and the empty resource when the URL is unmapped) in one transaction. */
  private static Lock grant(Exchange x, Lock wanted, Blob empty, boolean[] created) {
    Instant now = wanted.created();
    return x.store.write(tx -> {
      LockGate gate = LockGate.open(x, tx);
      Optional<Node> target = tx.resolve(x.path());
      if (target.isEmpty()) {
        if (x.isRoot(x.path())) {
          throw new DavError(409, "the root cannot be created");
        }
        Node parent = Paths.parentCollection(tx, x.path());
        gate.membership(x.path()).require();
        tx.createFile(parent.id(), x.path().name(), empty, "application/octet-stream", now);
        created[0] = true;
      }
      limit(x, tx, wanted, now);
      try {
        return tx.locks().create(wanted, now);
      } catch (LockConflictException e) {
        throw new DavError(Status.LOCKED, "no-conflicting-lock",
            "<D:href>" + x.href(DavPath.parse(e.existing().root()), false) + "</D:href>",
            e.getMessage());
      }
    });
  }

  /** RFC 4918 §9.10.2: a refresh names its lock in the If header and resets its timeout. */
  private static void refresh(Exchange x, Duration timeout) throws IOException {
    Instant now = x.now();
    Lock refreshed = x.store.write(tx -> {
      LockGate gate = LockGate.open(x, tx);
      if (gate.submitted().isEmpty()) {
        throw new DavError(400, "a LOCK refresh needs the lock token in an If header");
      }
      for (Lock l : tx.locks().covering(LockGate.key(x.path()), now)) {
        // RFC 4918 §6.4: only the principal that took a lock refreshes it with its token.
        if (gate.submitted().contains(l.token()) && x.owns(l)) {
          return tx.locks().refresh(l.token(), now.plus(timeout), now).orElseThrow();
        }
      }
      throw new DavError(412, "lock-token-matches-request-uri",
          "no submitted lock token covers " + x.path());
    });
    respond(x, 200, refreshed);
  }

  private static void respond(Exchange x, int status, Lock lock) throws IOException {
    x.beginFinal();
    x.resp.setStatus(status);
    x.resp.setContentType("application/xml; charset=utf-8");
    XmlWriter w = new XmlWriter(new java.io.BufferedWriter(new java.io.OutputStreamWriter(
        x.resp.getOutputStream(), java.nio.charset.StandardCharsets.UTF_8)));
    w.declaration();
    w.start(DAV, "prop");
    w.start(DAV, "lockdiscovery");
    LockProps.activelock(w, x.visible(List.of(lock)).get(0), x.now());
    w.end();
    w.end();
    w.flush();
  }
}
