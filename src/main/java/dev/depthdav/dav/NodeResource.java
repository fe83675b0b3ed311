package dev.depthdav.dav;

import dev.depthdav.store.DavPath;
import dev.depthdav.store.Node;
import dev.depthdav.store.Store;
import io.milton.http.Auth;
import io.milton.http.Range;
import io.milton.http.Request;
import io.milton.resource.GetableResource;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.util.Date;
import java.util.Map;

/** A resource as milton's GET handler sees it: a file's bytes, or a collection's HTML listing. */
final class NodeResource implements GetableResource {
  final Node node;
  private final Store store;
  private final DavPath path;

  NodeResource(Store store, Node node, DavPath path) {
    this.store = store;
    this.node = node;
    this.path = path;
  }

  @Override
  public void sendContent(OutputStream out, Range range, Map<String, String> params,
      String contentType) throws IOException {
    if (node.collection()) {
      Listing.write(store, node, path, out);
      return;
    }
    try (FileChannel ch = FileChannel.open(store.blobs().path(node.blob()),
        StandardOpenOption.READ)) {
      long start = range == null || range.getStart() == null ? 0 : range.getStart();
      long end = range == null || range.getFinish() == null
          ? node.length() - 1 : Math.min(range.getFinish(), node.length() - 1);
      copy(ch, start, end - start + 1, out);
    }
  }

  private static void copy(FileChannel ch, long position, long count, OutputStream out)
      throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
    long left = count;
    long pos = position;
    while (left > 0) {
      buf.clear();
      if (left < buf.capacity()) {
        buf.limit((int) left);
      }
      int n = ch.read(buf, pos);
      if (n < 0) {
        throw new IOException("blob shorter than its recorded length");
      }
      out.write(buf.array(), 0, n);
      pos += n;
      left -= n;
    }
  }

  @Override
  public Long getMaxAgeSeconds(Auth auth) {
    // Zero, not null: milton answers conditional GETs (304) only when this is set.
    return 0L;
  }

  @Override
  public String getContentType(String accepts) {
    return LiveProps.contentType(node);
  }

  @Override
  public Long getContentLength() {
    return node.collection() ? null : node.length();
  }

  @Override
  public String getUniqueId() {
    return node.etag();
  }

  @Override
  public String getName() {
    return node.name();
  }

  @Override
  public Object authenticate(String user, String password) {
    return user;
  }

  @Override
  public boolean authorise(Request request, Request.Method method, Auth auth) {
    return true;
  }

  @Override
  public String getRealm() {
    return "depthdav";
  }

  @Override
  public Date getModifiedDate() {
    return Date.from(node.modified());
  }

  @Override
  public String checkRedirect(Request request) {
    return null;
  }

  /** The HTML page a browser gets for a collection. */
  static final class Listing {
    private Listing() {}

    static void write(Store store, Node dir, DavPath path, OutputStream out) throws IOException {
      Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
      String title = html(path.toString());
      w.write("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + title
          + "</title></head><body>\n<h1>Index of " + title + "</h1>\n<ul>\n");
      if (!path.isRoot()) {
        w.write("<li><a href=\"" + html(Exchange.href(path.parent(), true)) + "\">../</a></li>\n");
      }
      try {
        store.read(tx -> {
          tx.forEachChild(dir.id(), c -> {
            String href = Exchange.href(path.child(c.name()), c.collection());
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
}
