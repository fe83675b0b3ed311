package dev.depthdav.dav;

import dev.depthdav.dav.xml.BadRequestException;
import dev.depthdav.dav.xml.Hrefs;
import dev.depthdav.dav.xml.TooLargeException;
import dev.depthdav.dav.xml.XmlBody;
import dev.depthdav.dav.xml.XmlWriter;
import dev.depthdav.depth.Operation;
import dev.depthdav.depth.Processing;
import dev.depthdav.depth.ProgressMonitor;
import dev.depthdav.depth.ResponseGate;
import dev.depthdav.depth.WorkerPool;
import dev.depthdav.auth.Principal;
import dev.depthdav.auth.User;
import dev.depthdav.lock.Lock;
import dev.depthdav.store.BlobStore;
import dev.depthdav.store.DavPath;
import dev.depthdav.store.Store;
import dev.depthdav.store.Tx;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedWriter;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.w3c.dom.Document;

/** One request and its response, with the services a method handler needs. */
final class Exchange {
  static final String PATH_ATTRIBUTE = "dev.depthdav.path";
  /** The request's {@link Principal}, set by the servlet before any handler runs. */
  static final String PRINCIPAL_ATTRIBUTE = "dev.depthdav.principal";
  /**
   * The IOException that stopped a response (set by the method bridge): the servlet throws it
   * once milton is done, so that Jetty aborts the response instead of ending it as complete.
   */
  static final String UNWRITTEN_ATTRIBUTE = "dev.depthdav.unwritten";
  private static final String XML_TYPE = "application/xml; charset=utf-8";
  /** Most bytes of an unread request body read and discarded after an error response. */
  private static final long SWALLOW_LIMIT = 64L << 20;

  final HttpServletRequest req;
  final HttpServletResponse resp;
  final Store store;
  final DavSettings settings;
  private final InstantSource clock;
  private final WorkerPool pool;
  /** Every final write goes through it, so no 102 is ever in flight under the final status. */
  private final ResponseGate gate = new ResponseGate();
  /** The depth operation this exchange runs, if any. */
  Operation operation;
  /** Already on a worker (Prefer: respond-async): operations run in place. */
  boolean inline;
  private DavPath root;

  Exchange(HttpServletRequest req, HttpServletResponse resp, Store store,
      DavSettings settings, InstantSource clock, WorkerPool pool) {
    this.req = req;
    this.resp = resp;
    this.store = store;
    this.pool = pool;
    this.settings = settings;
    this.clock = clock;
  }

  /**
   * The request's resource path in the store (the principal's root folder and below), validated
   * by the servlet before any handler runs.
   */
  DavPath path() {
    return (DavPath) req.getAttribute(PATH_ATTRIBUTE);
  }

  /** Who the request acts for. */
  Principal principal() {
    Object p = req.getAttribute(PRINCIPAL_ATTRIBUTE);
    if (p == null) {
      throw new IllegalStateException("a request reached a method without a principal");
    }
    return (Principal) p;
  }

  /**
   * The folder the principal sees as {@code /}; parsed once per exchange (every href written
   * asks for it).
   */
  DavPath root() {
    if (root == null) {
      root = DavPath.parse(principal().root());
    }
    return root;
  }

  /** A path as the client names it (relative to its root folder) made a path in the store. */
  DavPath toStore(DavPath visible) {
    return View.toStore(root(), visible);
  }

  /** A path in the store as this client sees it; "/" for anything above its root folder. */
  DavPath visible(DavPath stored) {
    return View.toVisible(root(), stored);
  }

  /**
   * The bytes the principal may still store under its root folder (RFC 4331 quota), negative
   * when it is already over; {@code Long.MAX_VALUE} for a principal without a quota.
   */
  long quotaLeft(Tx tx) {
    long quota = principal().quota();
    if (quota == User.NO_QUOTA) {
      return Long.MAX_VALUE;
    }
    return quota - tx.resolve(root()).map(n -> tx.bytesBelow(n.id())).orElse(0L);
  }

  /**
   * The space figures reported to this principal (RFC 4331 §3, §4): the store's, or, for a user
   * with a quota, its usage and what the quota (and the disk) leave.
   */
  Store.Space space() {
    Store.Space disk = store.space();
    long quota = principal().quota();
    if (quota == User.NO_QUOTA) {
      return disk;
    }
    long used = store.read(tx -> tx.resolve(root()).map(n -> tx.bytesBelow(n.id())).orElse(0L));
    long left = disk.availableBytes() == BlobStore.UNKNOWN ? quota - used
        : Math.min(disk.availableBytes(), quota - used); // an S3 bucket: the quota alone
    return new Store.Space(Math.max(0, left), used);
  }

  /**
   * A message as this client may read it: the store paths in it (methods name the paths they
   * work on) made relative to the client's root folder, which it must not learn.
   */
  String visibleText(String message) {
    Object p = req.getAttribute(PRINCIPAL_ATTRIBUTE);
    if (message == null || p == null || ((Principal) p).root().equals("/")) {
      return message;
    }
    String root = ((Principal) p).root();
    // The root where a path starts (after a space, a quote or a parenthesis, or at the start),
    // with its "/" or at the end of the path: "/home/a/x" becomes "/x", "/home/a" becomes "/".
    return message.replaceAll("(?<![^\\s\"'(])" + java.util.regex.Pattern.quote(root)
        + "(/|(?=[\\s\"',;:)]|$))", "/");
  }

  /** Whether a store path is the client's root folder ("/" as it sees it). */
  boolean isRoot(DavPath stored) {
    return stored.equals(root());
  }

  /** Locks as this client sees them: their roots relative to its root folder. */
  List<Lock> visible(List<Lock> locks) {
    if (root().isRoot()) {
      return locks; // every PROPFIND entry asks: no copies when nothing changes
    }
    List<Lock> out = new ArrayList<>(locks.size());
    for (Lock l : locks) {
      out.add(l.withRoot(visible(DavPath.parse(l.root())).toString()));
    }
    return out;
  }

  /** Whether a lock is held by this request's principal (RFC 4918 §6.4: tokens are not enough). */
  boolean owns(Lock l) {
    return java.util.Objects.equals(l.principal(), principal().name());
  }

  String header(String name) {
    return req.getHeader(name);
  }

  Instant now() {
    return clock.instant();
  }

  /** True when the request carries a body (RFC 9112 §6.3: a length or a transfer coding). */
  boolean hasBody() {
    return req.getContentLengthLong() > 0 || req.getHeader("Transfer-Encoding") != null;
  }

  /** The XML request body, strictly parsed; null when there is none. */
  Document xmlBody() throws IOException {
    long declared = req.getContentLengthLong();
    if (declared > settings.maxXmlBody()) {
      throw new DavError(413, "XML request body of " + declared + " bytes exceeds the limit of "
          + settings.maxXmlBody() + " bytes");
    }
    try {
      return XmlBody.parse(req.getInputStream(), settings.maxXmlBody());
    } catch (TooLargeException e) {
      throw new DavError(413, e.getMessage());
    } catch (BadRequestException e) {
      throw new DavError(400, "malformed XML body: " + e.getMessage());
    }
  }

  /** The encoded href of a resource of the store, as this client sees it. */
  String href(DavPath path, boolean collection) {
    return Hrefs.encode(visible(path), collection);
  }

  /**
   * Runs {@code work} as a depth operation on the worker pool, keeping the client informed with
   * 102 Processing meanwhile; the request's thread waits, so the exchange never completes early.
   * 503 with Retry-After when the pool is full.
   */
  <T> T operate(Callable<T> work) throws IOException {
    if (inline) {
      try {
        return work.call();
      } catch (IOException | RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    // RFC 9110 §15.2 and field notes §2: a 102 goes only after the request body has been read.
    drainBody();
    Operation op;
    Future<T> result;
    op = pool.create(req.getMethod(), visible(path()).toString(), principal().name());
    operation = op;
    try {
      result = pool.submit(op, work);
    } catch (WorkerPool.Busy e) {
      throw new DavError(503, null, "", e.getMessage(), 5);
    }
    try {
      Processing p = settings.processing();
      return ProgressMonitor.await(result, op, p, p.budget(req.getHeader("User-Agent")),
          new JettyInterim(req, resp), gate, clock);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof IOException io) {
        throw io;
      }
      throw new IllegalStateException(cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for " + op.progress(), e);
    }
  }

  /** Reads and discards a body the method does not use, up to the XML body limit (413 past it). */
  private void drainBody() throws IOException {
    if (!hasBody()) {
      return;
    }
    long left = settings.maxXmlBody() + 1;
    byte[] buf = new byte[8192];
    InputStream in = req.getInputStream();
    for (int n; (n = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0; ) {
      left -= n;
      if (left <= 0) {
        throw new DavError(413, "request body exceeds " + settings.maxXmlBody() + " bytes");
      }
    }
  }

  /** Claims the response for its final status (waits out an in-flight 102). */
  void beginFinal() {
    gate.beginFinal();
  }

  /** Ends the exchange with a status and no body. */
  void status(int code) {
    beginFinal();
    resp.setStatus(code);
    resp.setContentLength(0);
  }

  /** Starts a 207 Multi-Status body and returns its writer, the DAV:multistatus element open. */
  XmlWriter multistatus() throws IOException {
    beginFinal();
    resp.setStatus(Status.MULTI_STATUS);
    resp.setContentType(XML_TYPE);
    OutputStream out = resp.getOutputStream();
    if (operation != null) {
      out = new CountingStream(out, operation);
    }
    Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
    XmlWriter xml = new XmlWriter(w);
    xml.declaration();
    xml.start("DAV:", "multistatus");
    return xml;
  }

  /** Counts the bytes of a response body into its operation's progress. */
  private static final class CountingStream extends FilterOutputStream {
    private final Operation op;

    CountingStream(OutputStream out, Operation op) {
      super(out);
      this.op = op;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      op.addBytes(1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      op.addBytes(len);
    }
  }

  /** Writes an error: RFC 4918 §16 error XML when there is a condition, plain text otherwise. */
  void fail(DavError e) throws IOException {
    beginFinal();
    if (resp.isCommitted()) {
      throw new IOException("cannot report " + e.status + " after the response started: "
          + e.getMessage());
    }
    resp.reset();
    resp.setStatus(e.status);
    // A body too large for DavServlet to drop after the answer, or of unknown length, may be
    // unread: the connection cannot carry another request, and the client, still sending, must
    // get to read this answer (see swallowBody). After a small one, which DavServlet reads to
    // its end, the connection carries the next request.
    boolean unread = hasBody() && !DavServlet.drainable(req);
    if (unread) {
      resp.setHeader("Connection", "close");
    }
    if (e.retryAfter > 0) {
      resp.setHeader("Retry-After", Integer.toString(e.retryAfter));
    }
    e.headers.forEach(resp::setHeader);
    byte[] body;
    if (e.condition != null) {
      resp.setContentType(XML_TYPE);
      String inner = e.conditionContent.isEmpty() ? "<D:" + e.condition + "/>"
          : "<D:" + e.condition + ">" + e.conditionContent + "</D:" + e.condition + ">";
      body = ("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<D:error xmlns:D=\"DAV:\">" + inner
          + "</D:error>\n").getBytes(StandardCharsets.UTF_8);
    } else {
      resp.setContentType("text/plain; charset=utf-8");
      body = Status.text(e.status, visibleText(e.getMessage()))
          .getBytes(StandardCharsets.UTF_8);
    }
    resp.setContentLength(body.length);
    resp.getOutputStream().write(body);
    if (unread) {
      resp.flushBuffer();
      swallowBody();
    }
  }

  /**
   * Reads and discards what is left of the request body, up to {@code SWALLOW_LIMIT} bytes. A
   * server that closes the connection while the client is still sending makes the kernel reset
   * it, and the client may lose the error response it had not read yet.
   */
  private void swallowBody() {
    long left = SWALLOW_LIMIT;
    byte[] buf = new byte[8192];
    try {
      InputStream in = req.getInputStream();
      for (int n; left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0; ) {
        left -= n;
      }
    } catch (IOException | RuntimeException e) {
      // the client stopped sending or went away: nothing more to do
    }
  }
}
