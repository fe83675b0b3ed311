package dev.depthdav.dav;

import dev.depthdav.store.Node;
import java.io.IOException;
import java.util.Optional;

/**
 * OPTIONS on any path, mapped or not (RFC 4918 §10.1, §18): the compliance classes (1 and 2:
 * locking) and the
 * methods the resource allows. Windows and Office look for {@code MS-Author-Via: DAV}.
 */
final class OptionsMethod implements Method {
  static final String COMPLIANCE = "1, 2";
  private static final String COMMON = "OPTIONS, PROPFIND, LOCK";

  @Override
  public void handle(Exchange x) throws IOException {
    Optional<Node> node = x.store.read(tx -> tx.resolve(x.path()));
    x.resp.setHeader("DAV", COMPLIANCE);
    x.resp.setHeader("MS-Author-Via", "DAV");
    x.resp.setHeader("Allow", allow(node.orElse(null)));
    x.status(200);
  }

  static String allow(Node node) {
    if (node == null) {
      return COMMON + ", PUT, MKCOL";
    }
    String both = COMMON + ", GET, HEAD, DELETE, PROPPATCH, COPY, MOVE, UNLOCK";
    return node.collection() ? both : both + ", PUT";
  }
}
