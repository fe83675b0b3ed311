package dev.depthdav.dav;

import dev.depthdav.dav.xml.BadRequestException;
import dev.depthdav.dav.xml.ProppatchBody;
import dev.depthdav.dav.xml.XmlWriter;
import dev.depthdav.store.DavPath;
import dev.depthdav.store.Node;
import dev.depthdav.store.QName;
import java.io.IOException;
import java.util.List;
import org.w3c.dom.Document;

/**
 * PROPPATCH (RFC 4918 §9.2): instructions are applied in document order and atomically. If any
 * fails, none is applied: the failing ones get their own status and the rest 424.
 */
final class ProppatchMethod implements Method {
  private static final String DAV = QName.DAV;

  @Override
  public void handle(Exchange x) throws IOException {
    Document doc = x.xmlBody();
    if (doc == null) {
      throw new DavError(400, "PROPPATCH needs a DAV:propertyupdate body");
    }
    List<ProppatchBody.PropOp> ops;
    try {
      ops = ProppatchBody.parse(doc);
    } catch (BadRequestException e) {
      throw new DavError(400, "invalid PROPPATCH body: " + e.getMessage());
    }
    for (ProppatchBody.PropOp op : ops) {
      if (op.name().namespace().length() > DavPath.MAX_NAME
          || op.name().local().length() > DavPath.MAX_NAME) {
        throw new DavError(400, "a property name is longer than " + DavPath.MAX_NAME
            + " characters");
      }
    }
    boolean anyProtected = ops.stream().anyMatch(op -> LiveProps.isProtected(op.name()));
    Node node = x.store.write(tx -> {
      Node target = tx.resolve(x.path())
          .orElseThrow(() -> new DavError(404, "no resource at " + x.path()));
      Preconditions.check(x, target);
      LockGate.open(x, tx).resource(x.path()).require();
      if (!anyProtected) {
        for (ProppatchBody.PropOp op : ops) {
          if (op.set()) {
            tx.setProperty(target.id(), op.name(), op.xml());
          } else {
            tx.removeProperty(target.id(), op.name());
          }
        }
      }
      return target;
    });
    XmlWriter w = x.multistatus();
    w.start(DAV, "response");
    w.element(DAV, "href", x.href(x.path(), node.collection()));
    for (ProppatchBody.PropOp op : ops) {
      int status = 200;
      if (anyProtected) {
        status = LiveProps.isProtected(op.name()) ? 403 : Status.FAILED_DEPENDENCY;
      }
      PropfindMethod.startPropstat(w);
      w.empty(op.name().namespace(), op.name().local());
      w.end();
      w.element(DAV, "status", Status.line(status));
      if (status == 403) {
        w.start(DAV, "error");
        w.empty(DAV, "cannot-modify-protected-property");
        w.end();
      }
      w.end();
    }
    w.end();
    w.end();
    w.flush();
  }
}
