package dev.depthdav.dav;

import dev.depthdav.dav.xml.Hrefs;
import dev.depthdav.store.DavPath;
import dev.depthdav.store.Node;
import dev.depthdav.store.Store;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/** The HTML page a browser gets for a collection. */
final class Listing {
  private Listing() {}

  /** {@code path} is the folder as the client sees it (relative to its root folder). */
  static void write(Store store, Node dir, DavPath path, OutputStream out) throws IOException {
    Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
    String title = html(path.toString());
    w.write("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + title
        + "</title></head><body>\n<h1>Index of " + title + "</h1>\n<ul>\n");
    if (!path.isRoot()) {
      w.write("<li><a href=\"" + html(Hrefs.encode(path.parent(), true)) + "\">../</a></li>\n");
    }
    try {
      store.read(tx -> {
        tx.forEachChild(dir.id(), c -> {
          String href = Hrefs.encode(path.child(c.name()), c.collection());
          String label = c.name() + (c.collection() ? "/" : "");
          try {
            w.write("<li><a href=\"" + html(href) + "\">" + html(label) + "</a>"
                + (c.collection() ? "" : " " + c.length() + " bytes") + "</li>\n");
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
        return null;
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    w.write("</ul>\n</body></html>\n");
    w.flush();
  }

  static String html(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;").replace("'", "&#39;");
  }
}
