package dev.depthdav.dav;

import dev.depthdav.depth.Operation;
import dev.depthdav.depth.OperationJournal;
import dev.depthdav.depth.WorkerPool;
import dev.depthdav.store.Store;
import dev.depthdav.store.StoreException;
import io.milton.config.HttpManagerBuilder;
import io.milton.http.Handler;
import io.milton.http.HttpExtension;
import io.milton.http.HttpManager;
import io.milton.http.ProtocolHandlers;
import io.milton.http.Request;
import io.milton.http.Response;
import io.milton.http.http11.CustomPostHandler;
import io.milton.resource.Resource;
import io.milton.servlet.ServletRequest;
import io.milton.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Enumeration;
import java.util.Locale;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds milton's HTTP pipeline (servlet adaptation, its filter chain) with our own handler for
 * every method registered after milton's, so ours replace milton's for the same methods.
 */
final class MiltonSetup {
  private static final Logger log = LoggerFactory.getLogger(MiltonSetup.class);
  /** Methods that honour Prefer: respond-async. */
  private static final Set<String> ASYNC = Set.of("COPY", "MOVE", "DELETE", "PROPFIND");

  private MiltonSetup() {}

  static HttpManager build(Store store, DavSettings settings, InstantSource clock,
      WorkerPool pool, OperationJournal journal, Map<String, Method> methods) {
    Builder b = new Builder(new Extension(store, settings, clock, pool, journal, methods));
    // Every method is ours (DavServlet's table); milton resolves no resources of its own.
    b.setResourceFactory((host, path) -> null);
    // Off: features we do not serve, each of which costs memory, files or surprises.
    b.setEnableCompression(false);
    b.setEnabledJson(false);
    b.setEnableFormAuth(false);
    b.setEnableCookieAuth(false);
    b.setEnableBasicAuth(false);
    b.setEnableDigestAuth(false);
    b.setEnableOptionsAuth(false);
    return b.buildHttpManager();
  }

  /** Appends our extension after milton's protocols: the last handler for a method wins. */
  private static final class Builder extends HttpManagerBuilder {
    private final Extension ours;

    Builder(Extension ours) {
      this.ours = ours;
    }

    @Override
    protected void buildProtocolHandlers(io.milton.http.webdav.WebDavResponseHandler handler,
        io.milton.http.webdav.ResourceTypeHelper types) {
      super.buildProtocolHandlers(handler, types);
      protocols.add(ours);
      protocolHandlers = new ProtocolHandlers(protocols);
    }
  }

  /** Our handlers as one milton extension. */
  private static final class Extension implements HttpExtension {
    private final Set<Handler> handlers = new HashSet<>();

    Extension(Store store, DavSettings settings, InstantSource clock,
        WorkerPool pool, OperationJournal journal, Map<String, Method> methods) {
      methods.forEach((name, m) ->
          handlers.add(new Bridge(name, m, store, settings, clock, pool, journal)));
    }

    @Override
    public Set<Handler> getHandlers() {
      return handlers;
    }

    @Override
    public List<CustomPostHandler> getCustomPostHandlers() {
      return new ArrayList<>();
    }
  }

  /**
   * Runs one of our methods inside milton's pipeline, on the servlet request and response that
   * milton's adapters keep for the current thread. Errors become responses here, in one place.
   */
  private record Bridge(String name, Method method, Store store, DavSettings settings,
      InstantSource clock, WorkerPool pool, OperationJournal journal) implements Handler {

    @Override
    public String[] getMethods() {
      return new String[] {name};
    }

    @Override
    public boolean isCompatible(Resource res) {
      return true;
    }

    @Override
    public void process(HttpManager manager, Request request, Response response) {
      HttpServletRequest req = ServletRequest.getRequest();
      try {
        if (ASYNC.contains(name) && prefersAsync(req)) {
          startAsync(req, ServletResponse.getResponse());
          return;
        }
        Exchange x = new Exchange(req, ServletResponse.getResponse(), store, settings, clock,
            pool);
        try {
          handle(x);
        } finally {
          finish(x, null);
        }
      } catch (UncheckedIOException e) {
        // The servlet throws it to Jetty once milton is done (DavServlet#serve), which aborts the
        // response; thrown through milton, it became an ERROR and a 500 for a client that left.
        req.setAttribute(Exchange.UNWRITTEN_ATTRIBUTE, e.getCause());
      }
    }

    /** RFC 7240 §4.1: the client prefers a 202 now and the outcome later. */
    private static boolean prefersAsync(HttpServletRequest req) {
      Enumeration<String> values = req.getHeaders("Prefer");
      while (values != null && values.hasMoreElements()) {
        for (String pref : values.nextElement().split(",")) {
          if (pref.trim().toLowerCase(Locale.ROOT).startsWith("respond-async")) {
            return true;
          }
        }
      }
      return false;
    }

    /**
     * Runs the method on a worker against a copy of the request and a captured response, and
     * answers 202 Accepted at once with the Location where its state and outcome can be read.
     */
    private void startAsync(HttpServletRequest req, HttpServletResponse resp) {
      Exchange reply = new Exchange(req, resp, store, settings, clock, pool);
      try {
        try {
          RequestSnapshot copy = new RequestSnapshot(req, settings.maxXmlBody());
          CapturedResponse captured = new CapturedResponse(resp,
              Files.createTempFile(settings.results(), "op-", ".body"),
              settings.maxAsyncResult());
          Exchange x = new Exchange(copy, captured, store, settings, clock, pool);
          x.inline = true;
          Operation op = pool.create(name, x.visible(x.path()).toString(), x.principal().name());
          x.operation = op;
          try {
            // Recorded before the 202, so that its Location works on every node at once.
            journal.submitted(op);
            pool.submit(op, () -> {
              started(op);
              try {
                handle(x);
              } finally {
                captured.finish(); // also when the method failed writing a result past the limit
                finish(x, captured);
                captured.close(); // the result is in the blob store now
              }
              return null;
            });
          } catch (WorkerPool.Busy e) {
            captured.close();
            throw new DavError(503, null, "", e.getMessage(), 5);
          } catch (RuntimeException e) {
            pool.cancel(op);
            captured.close();
            throw e;
          }
          String location = "/" + AdminEndpoint.RESERVED + "/operations/" + op.id();
          reply.beginFinal();
          resp.setStatus(202);
          resp.setHeader("Location", location);
          resp.setHeader("Preference-Applied", "respond-async");
          resp.setContentType("application/json; charset=utf-8");
          byte[] body = (AdminEndpoint.json(journal.snapshot(op), clock.instant()) + "\n")
              .getBytes(StandardCharsets.UTF_8);
          resp.setContentLength(body.length);
          resp.getOutputStream().write(body);
        } catch (DavError e) {
          reply.fail(e);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** Records that an asynchronous operation began; a failure to record it stops nothing. */
    private void started(Operation op) {
      try {
        journal.started(op);
      } catch (RuntimeException e) {
        log.warn("recording the start of operation {} failed: {}", op.id(), e.toString());
      }
    }

    /**
     * Records and logs how a depth operation ended, whether or not the client stayed: first in
     * the journal, with the response {@code captured} for a respond-async one (else null), then
     * in the pool, so that whoever sees it finished finds its result on any node.
     */
    private void finish(Exchange x, CapturedResponse captured) {
      Operation op = x.operation;
      if (op != null) {
        int status = x.resp.getStatus();
        String outcome = name + " " + op.path() + " -> " + status;
        Instant at = clock.instant();
        try {
          journal.finished(op, status, outcome, at, captured == null ? null
              : new OperationJournal.Captured(status, captured.headers(), captured.body()));
        } catch (RuntimeException e) {
          log.error("recording the end of operation {} failed", op.id(), e);
        }
        op.finish(status, outcome, at);
        pool.retire(op);
        log.info("operation {} {} {} ended {} after {} ms ({}; 102s sent: {})", op.id(), name,
            op.path(), status, op.elapsed(clock.instant()).toMillis(), op.progress(),
            op.interims());
      }
    }

    private void handle(Exchange x) {
      try {
        try {
          method.handle(x);
        } catch (DavError e) {
          x.fail(e);
        } catch (StoreException e) {
          DavError known = StoreErrors.toDavError(e);
          if (known == null) {
            log.error("{} {} failed", name, x.path(), e);
            known = new DavError(500, "internal error: " + e.getClass().getSimpleName());
          } else {
            log.warn("{} {}: {}", name, x.path(), e.getMessage());
          }
          x.fail(known);
        } catch (UncheckedIOException e) {
          throw e.getCause();
        } catch (RuntimeException e) {
          if (e instanceof org.eclipse.jetty.http.HttpException h && h.getCode() < 500) {
            // Jetty refusing what the client sent while it was read (a timeout, bad framing).
            x.fail(new DavError(h.getCode(), e.getMessage()));
            return;
          }
          log.error("{} {} failed", name, x.path(), e);
          x.fail(new DavError(500, "internal error: " + e.getClass().getSimpleName()));
        }
      } catch (IOException e) {
        // The client went away or the response could not be written; nothing more to say.
        log.info("{} {}: {}", name, x.path(), e.toString());
        throw new UncheckedIOException(e);
      }
    }
  }
}
