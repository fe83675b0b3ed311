package dev.depthdav.dav;

import dev.depthdav.dav.xml.ByteRanges;
import dev.depthdav.store.BlobStore;
import dev.depthdav.store.DavPath;
import dev.depthdav.store.Node;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.jetty.ee10.servlet.HttpOutput;

/**
 * GET and HEAD (RFC 9110 §9.3.1, §9.3.2): conditional requests in the order of RFC 9110 §13.2.2,
 * then byte ranges (§14) with If-Range (§13.1.5). A 206 carries the same validators as the 200;
 * HEAD sends the headers GET would, without the body. A collection is the browser UI's page to a
 * client whose Accept names text/html, and a plain HTML listing to any other; asked for
 * without its trailing slash it answers 301 to the slash form, so that clients which resolve
 * names against the URL they were given (lftp) stay inside it.
 */
final class GetMethod implements Method {
  private final boolean head;
  private final WebUi ui;

  GetMethod(boolean head, WebUi ui) {
    this.head = head;
    this.ui = ui;
  }

  @Override
  public void handle(Exchange x) throws IOException {
    DavPath path = x.path();
    // Content kept in the store's rows (Store.inlineMax) is read in the same snapshot as the row;
    // content longer than that is never there, so its GET asks the rows nothing more.
    int inlineMax = x.store.inlineMax();
    Found found = x.store.read(tx -> tx.resolve(path).map(n -> new Found(n, head
        || n.collection() || n.length() == 0 || n.length() > inlineMax ? null
        : tx.inlineContent(n.blob()))))
        .orElseThrow(() -> new DavError(404, "no resource at " + path));
    Node node = found.node();
    if (node.collection() && !x.isRoot(path) && !x.req.getRequestURI().endsWith("/")) {
      x.beginFinal();
      x.resp.setStatus(301);
      x.resp.setHeader("Location", x.href(path, true));
      x.resp.setContentLength(0);
      return;
    }
    if (node.collection() && WebUi.wanted(x.header("Accept"))) {
      // A browser navigating to a folder: the UI's page, which lists it over PROPFIND.
      x.beginFinal();
      ui.page(x.resp, head);
      return;
    }
    validators(x, node);
    if (notModified(x, node)) {
      x.beginFinal();
      x.resp.setStatus(304);
      return;
    }
    if (node.collection()) {
      x.beginFinal();
      x.resp.setStatus(200);
      x.resp.setContentType(LiveProps.COLLECTION_TYPE);
      if (!head) {
        Listing.write(x.store, node, x.visible(path), x.resp.getOutputStream());
      }
      return;
    }
    x.resp.setHeader("Accept-Ranges", "bytes");
    ByteRanges.Result ranges = ifRange(x, node)
        ? ByteRanges.resolve(x.header("Range"), node.length()) : ByteRanges.resolve(null, 0);
    if (ranges.unsatisfiable()) {
      // RFC 9110 §15.5.17: 416 names the current length.
      throw new DavError(416, "no range of the Range header is within the " + node.length()
          + " bytes").with("Content-Range", "bytes */" + node.length());
    }
    x.beginFinal();
    if (ranges.whole()) {
      x.resp.setStatus(200);
      x.resp.setContentType(LiveProps.contentType(node));
      x.resp.setContentLengthLong(node.length());
      send(x, found, List.of(new ByteRanges.Span(0, node.length() - 1)), null);
    } else if (ranges.spans().size() == 1) {
      ByteRanges.Span s = ranges.spans().get(0);
      x.resp.setStatus(206);
      x.resp.setContentType(LiveProps.contentType(node));
      x.resp.setHeader("Content-Range", contentRange(s, node.length()));
      x.resp.setContentLengthLong(s.length());
      send(x, found, ranges.spans(), null);
    } else {
      multipart(x, found, ranges.spans());
    }
  }

  /** A resource and, when the store keeps its content in its row, the content. */
  private record Found(Node node, byte[] inline) {}

  /** ETag and Last-Modified, on every answer that has a representation (RFC 9110 §8.8). */
  private static void validators(Exchange x, Node node) {
    x.resp.setHeader("ETag", LiveProps.etag(node));
    x.resp.setHeader("Last-Modified", LiveProps.lastModified(node));
  }

  /**
   * RFC 9110 §13.2.2 steps 1 to 4: 412 for a failed If-Match or If-Unmodified-Since; true (304)
   * for a matching If-None-Match or, without it, an If-Modified-Since the resource has not
   * changed since.
   */
  private static boolean notModified(Exchange x, Node node) {
    Instant modified = HttpDates.seconds(node.modified());
    String ifMatch = x.header("If-Match");
    if (ifMatch != null) {
      if (!Preconditions.matches(ifMatch, node)) {
        throw new DavError(412, "If-Match did not match the current entity tag");
      }
    } else {
      Instant since = HttpDates.parse(x.header("If-Unmodified-Since"));
      if (since != null && modified.isAfter(since)) {
        throw new DavError(412, "modified after If-Unmodified-Since");
      }
    }
    String ifNoneMatch = x.header("If-None-Match");
    if (ifNoneMatch != null) {
      return Preconditions.matches(ifNoneMatch, node, true);
    }
    Instant since = HttpDates.parse(x.header("If-Modified-Since"));
    return since != null && !modified.isAfter(since);
  }

  /**
   * RFC 9110 §13.1.5: with If-Range, the Range applies only if the entity tag matches strongly
   * or the date equals Last-Modified; otherwise the whole representation is sent.
   */
  private static boolean ifRange(Exchange x, Node node) {
    String v = x.header("If-Range");
    if (v == null) {
      return true;
    }
    v = v.trim();
    if (v.startsWith("\"") || v.startsWith("W/")) {
      return v.equals(LiveProps.etag(node)); // a weak tag never matches
    }
    Instant date = HttpDates.parse(v);
    return date != null && date.equals(HttpDates.seconds(node.modified()));
  }

  private static String contentRange(ByteRanges.Span s, long length) {
    return "bytes " + s.first() + "-" + s.last() + "/" + length;
  }

  /** RFC 9110 §14.6: multipart/byteranges, CRLF line ends, a closing boundary. */
  private void multipart(Exchange x, Found found, List<ByteRanges.Span> spans) throws IOException {
    Node node = found.node();
    String boundary = "depthdav-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    String type = LiveProps.contentType(node);
    long total = 0;
    String[] heads = new String[spans.size()];
    for (int i = 0; i < spans.size(); i++) {
      heads[i] = "\r\n--" + boundary + "\r\nContent-Type: " + type + "\r\nContent-Range: "
          + contentRange(spans.get(i), node.length()) + "\r\n\r\n";
      total += heads[i].length() + spans.get(i).length();
    }
    String tail = "\r\n--" + boundary + "--\r\n";
    total += tail.length();
    x.resp.setStatus(206);
    x.resp.setContentType("multipart/byteranges; boundary=" + boundary);
    x.resp.setContentLengthLong(total);
    send(x, found, spans, new String[][] {heads, {tail}});
  }

  /** Writes the spans (with the multipart heads and tail, when given); nothing for HEAD. */
  private void send(Exchange x, Found found, List<ByteRanges.Span> spans, String[][] parts)
      throws IOException {
    Node node = found.node();
    if (head || node.length() == 0) {
      return;
    }
    OutputStream out = x.resp.getOutputStream();
    if (found.inline() != null) {
      byte[] bytes = found.inline();
      if (bytes.length != node.length()) {
        throw new IOException("content of " + bytes.length + " bytes, its row says "
            + node.length());
      }
      spans(out, spans, parts, s -> out.write(bytes, (int) s.first(), (int) s.length()));
      return;
    }
    BlobStore blobs = x.store.blobs();
    Optional<Path> file = blobs.localPath(node.blob());
    // A blob in a local file is read at positions from one channel; elsewhere (an S3 bucket)
    // each span is one ranged read.
    try (FileChannel ch = file.isPresent()
        ? FileChannel.open(file.get(), StandardOpenOption.READ) : null) {
      if (ch != null && parts == null && out instanceof HttpOutput jetty) {
        // The whole body is one span of a file: Jetty reads it into its own pooled (direct)
        // buffers and writes those to the socket, with no copy on the Java heap and no buffer
        // allocated per request.
        ByteRanges.Span s = spans.get(0);
        jetty.sendContent(new SpanChannel(ch, s.first(), s.length()));
        return;
      }
      spans(out, spans, parts, s -> {
        if (ch != null) {
          copy(ch, s.first(), s.length(), out);
        } else {
          copy(blobs, node.blob(), s, out);
        }
      });
    }
  }

  /** Writes one span of the content. */
  @FunctionalInterface
  private interface SpanWriter {
    void write(ByteRanges.Span s) throws IOException;
  }

  /** Each span by {@code writer}, after its multipart head, then the tail (when given). */
  private static void spans(OutputStream out, List<ByteRanges.Span> spans, String[][] parts,
      SpanWriter writer) throws IOException {
    for (int i = 0; i < spans.size(); i++) {
      if (parts != null) {
        out.write(parts[0][i].getBytes(StandardCharsets.US_ASCII));
      }
      writer.write(spans.get(i));
    }
    if (parts != null) {
      out.write(parts[1][0].getBytes(StandardCharsets.US_ASCII));
    }
  }

  /**
   * The bytes {@code [first, first + length)} of a file as a channel read from its start; a file
   * that ends early is an error, not a short body under a Content-Length that promised more.
   * Closing it leaves the file's channel to its owner.
   */
  static final class SpanChannel implements ReadableByteChannel {
    private final FileChannel file;
    private long position;
    private long left;
    private boolean open = true;

    SpanChannel(FileChannel file, long first, long length) {
      this.file = file;
      this.position = first;
      this.left = length;
    }

    @Override
    public int read(ByteBuffer into) throws IOException {
      if (left == 0) {
        return -1;
      }
      int limit = into.limit();
      if (into.remaining() > left) {
        into.limit(into.position() + (int) left);
      }
      int n;
      try {
        n = file.read(into, position);
      } finally {
        into.limit(limit);
      }
      if (n < 0) {
        throw new IOException("blob shorter than its recorded length");
      }
      position += n;
      left -= n;
      return n;
    }

    @Override
    public boolean isOpen() {
      return open;
    }

    @Override
    public void close() {
      open = false;
    }
  }

  /** Copies one span of a blob that is not in a local file. */
  private static void copy(BlobStore blobs, String hash, ByteRanges.Span s, OutputStream out)
      throws IOException {
    try (InputStream in = blobs.open(hash, s.first(), s.length())) {
      if (in.transferTo(out) != s.length()) {
        throw new IOException("blob shorter than its recorded length");
      }
    }
  }

  /** Copies {@code count} bytes from {@code position} of a blob file to {@code out}. */
  static void copy(FileChannel ch, long position, long count, OutputStream out)
      throws IOException {
    SpanChannel span = new SpanChannel(ch, position, count);
    ByteBuffer buf = ByteBuffer.allocate((int) Math.min(count, 64 * 1024));
    while (span.read(buf.clear()) > 0) {
      out.write(buf.array(), 0, buf.position());
    }
  }
}
