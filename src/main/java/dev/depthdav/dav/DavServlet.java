package dev.depthdav.dav;

import dev.depthdav.auth.Authenticator;
import dev.depthdav.auth.Principal;
import dev.depthdav.dav.xml.BadRequestException;
import dev.depthdav.dav.xml.Hrefs;
import dev.depthdav.depth.OperationJournal;
import dev.depthdav.depth.WorkerPool;
import dev.depthdav.store.DavPath;
import dev.depthdav.store.Store;
import dev.depthdav.store.StoreException;
import io.milton.http.HttpManager;
import io.milton.servlet.ServletRequest;
import io.milton.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.InstantSource;
import java.util.Map;
import java.util.Set;

/**
 * The entry point of every request. It answers what milton cannot (unknown methods, malformed
 * paths) and hands the rest to milton's pipeline, where our handlers replace milton's for the
 * WebDAV methods and milton keeps GET and HEAD.
 */
public final class DavServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  /** Methods answered by our own handlers, registered in milton after its built-in ones. */
  private final transient Map<String, Method> methods;
  private final transient HttpManager milton;
  private final transient AdminEndpoint admin;
  private final transient Guard guard;
  private final transient WebUi ui = new WebUi();

  /**
   * @param hosts the host names this server answers for (lower case); null for any
   */
  public DavServlet(Store store, DavSettings settings, WorkerPool pool,
      OperationJournal journal, Authenticator auth, Set<String> hosts) {
    this(store, settings, InstantSource.system(), pool, journal, auth, hosts);
  }

  DavServlet(Store store, DavSettings settings, InstantSource clock,
      WorkerPool pool, OperationJournal journal, Authenticator auth, Set<String> hosts) {
    this.guard = new Guard(auth, hosts);
    this.methods = Map.ofEntries(
        Map.entry("GET", new GetMethod(false, ui)),
        Map.entry("HEAD", new GetMethod(true, ui)),
        Map.entry("OPTIONS", new OptionsMethod()),
        Map.entry("PROPFIND", new PropfindMethod()),
        Map.entry("PROPPATCH", new ProppatchMethod()),
        Map.entry("MKCOL", new MkcolMethod()),
        Map.entry("PUT", new PutMethod(settings.maxUploads(), settings.minUploadRate())),
        Map.entry("DELETE", new DeleteMethod()),
        Map.entry("COPY", new CopyMoveMethod(false)),
        Map.entry("MOVE", new CopyMoveMethod(true)),
        Map.entry("LOCK", new LockMethod()),
        Map.entry("UNLOCK", new UnlockMethod()));
    this.milton = MiltonSetup.build(store, settings, clock, pool, journal, methods);
    this.admin = new AdminEndpoint(store, journal, clock);
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    try {
      serve(req, resp);
    } catch (StoreException e) {
      // A storage failure outside a method (looking up the user, the admin endpoint): the same
      // table as in the methods; only one no client could cause stays a 500.
      DavError known = StoreErrors.toDavError(e);
      if (known == null || resp.isCommitted()) {
        throw e;
      }
      resp.reset();
      if (known.retryAfter > 0) {
        resp.setHeader("Retry-After", Integer.toString(known.retryAfter));
      }
      plain(resp, known.status, known.getMessage());
    }
    drainUnread(req, resp); // after any answer, a refusal or a method's alike
  }

  /** The most bytes of an unread request body read and dropped so the connection lives on. */
  static final int DRAINED = 64 * 1024;

  /**
   * Reads and drops what is left of the body of a request answered without reading it all: a
   * refusal (401, 403, 429, …), an unknown method (501), a bad path (400), a resource that is not
   * there (404), and any other answer given before the body was needed. Only when the body is
   * small and announced by its length, and after the answer has been sent (so a client that
   * holds its body back until it has an answer gets it at once). Otherwise Jetty may close the
   * connection after the answer (seen after a refused DELETE and after a 501 whose bodies came
   * after their headers: SecurityTest, EarlyAnswerTest), and a client reusing the connection at
   * that moment gets no answer (RFC 9112 §9.6 on closing with input unread). A request that
   * waits for {@code 100 Continue} has sent no body; one larger than {@link #DRAINED} or of
   * unknown length is left to the close.
   */
  private static void drainUnread(HttpServletRequest req, HttpServletResponse resp)
      throws IOException {
    if (!drainable(req)) {
      return;
    }
    try (var in = req.getInputStream()) {
      // Read to its end whether or not the method read some of it: ServletInputStream.isFinished
      // said true for a body that had not come yet (seen in Jetty 12.1 behind milton's DELETE).
      resp.flushBuffer();
      byte[] skip = new byte[8192];
      while (in.read(skip) >= 0) {
        // dropped: the answer did not need it
      }
    } catch (IOException | IllegalStateException e) {
      // the client went away, or the body was taken as a reader: nothing to drain here
    }
  }

  /**
   * Whether a body left unread is dropped after the answer ({@link #drainUnread}): announced by
   * its length, at most {@link #DRAINED} bytes, and not held back for {@code 100 Continue}.
   */
  static boolean drainable(HttpServletRequest req) {
    long length = req.getContentLengthLong();
    String expect = req.getHeader("Expect");
    return length > 0 && length <= DRAINED
        && (expect == null || !expect.equalsIgnoreCase("100-continue"));
  }

  private void serve(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    Principal who = guard.admit(req, resp);
    if (who == null) {
      return; // refused: service drains the body
    }
    String method = req.getMethod();
    if (!methods.containsKey(method)) {
      plain(resp, method.equals("POST") ? 405 : 501,
          "method " + method + " is not supported by this server");
      return;
    }
    DavPath path;
    try {
      path = DavPath.parse(Hrefs.decodePath(req.getRequestURI()));
    } catch (BadRequestException | IllegalArgumentException e) {
      plain(resp, 400, "bad request path: " + e.getMessage());
      return;
    }
    if (WebUi.owns(path)) {
      ui.serve(method, path, req.getHeader("If-None-Match"), resp);
      return;
    }
    if (AdminEndpoint.owns(path)) {
      admin.handle(method, path, who, resp);
      return;
    }
    try {
      path = View.toStore(DavPath.parse(who.root()), path);
    } catch (IllegalArgumentException e) {
      plain(resp, 400, "bad request path: " + e.getMessage());
      return;
    }
    req.setAttribute(Exchange.PATH_ATTRIBUTE, path);
    req.setAttribute(Exchange.PRINCIPAL_ATTRIBUTE, who);
    milton.process(new ServletRequest(req, getServletContext()), new ServletResponse(resp));
    if (req.getAttribute(Exchange.UNWRITTEN_ATTRIBUTE) instanceof IOException e) {
      // Jetty aborts a response its servlet ends with an exception; an EofException (the client
      // left) it takes quietly, as the QuietException it is.
      throw e;
    }
  }

  /**
   * The headers of an answer to {@code OPTIONS *} (RFC 9110 §9.3.7: a question about the server,
   * which never reaches a servlet): what OPTIONS of the root says.
   */
  public static Map<String, String> serverOptions() {
    return Map.of("DAV", OptionsMethod.COMPLIANCE, "MS-Author-Via", "DAV", "Allow",
        OptionsMethod.allow(null) + ", GET, HEAD, DELETE, PROPPATCH, COPY, MOVE, UNLOCK");
  }

  private static void plain(HttpServletResponse resp, int status, String message)
      throws IOException {
    if (status == 405 || status == 501) {
      resp.setHeader("Allow", OptionsMethod.allow(null) + ", GET, HEAD, DELETE, PROPPATCH, COPY, "
          + "MOVE, UNLOCK");
    }
    Status.writeText(resp, status, message);
  }
}
