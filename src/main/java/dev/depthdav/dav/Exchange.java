package dev.depthdav.dav;

import dev.depthdav.dav.xml.BadRequestException;
import dev.depthdav.dav.xml.Hrefs;
import dev.depthdav.dav.xml.TooLargeException;
import dev.depthdav.dav.xml.XmlBody;
import dev.depthdav.dav.xml.XmlWriter;
import dev.depthdav.lock.LockStore;
import dev.depthdav.store.DavPath;
import dev.depthdav.store.Store;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import org.w3c.dom.Document;

/** One request and its response, with the services a method handler needs. */
final class Exchange {
  static final String PATH_ATTRIBUTE = "dev.depthdav.path";
  private static final String XML_TYPE = "application/xml; charset=utf-8";

  final HttpServletRequest req;
  final HttpServletResponse resp;
  final Store store;
  final LockStore locks;
  final DavSettings settings;
  private final InstantSource clock;

  Exchange(HttpServletRequest req, HttpServletResponse resp, Store store, LockStore locks,
      DavSettings settings, InstantSource clock) {
    this.req = req;
    this.resp = resp;
    this.store = store;
    this.locks = locks;
    this.settings = settings;
    this.clock = clock;
  }

  /** The request's resource path, validated by the servlet before any handler runs. */
  DavPath path() {
    return (DavPath) req.getAttribute(PATH_ATTRIBUTE);
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

  /** The encoded href of a resource. */
  static String href(DavPath path, boolean collection) {
    return Hrefs.encode(path, collection);
  }

  /** Ends the exchange with a status and no body. */
  void status(int code) {
    resp.setStatus(code);
    resp.setContentLength(0);
  }

  /** Starts a 207 Multi-Status body and returns its writer, the DAV:multistatus element open. */
  XmlWriter multistatus() throws IOException {
    resp.setStatus(Status.MULTI_STATUS);
    resp.setContentType(XML_TYPE);
    Writer w = new BufferedWriter(
        new OutputStreamWriter(resp.getOutputStream(), StandardCharsets.UTF_8), 1 << 16);
    XmlWriter xml = new XmlWriter(w);
    xml.declaration();
    xml.start("DAV:", "multistatus");
    return xml;
  }

  /** Writes an error: RFC 4918 §16 error XML when there is a condition, plain text otherwise. */
  void fail(DavError e) throws IOException {
    if (resp.isCommitted()) {
      throw new IOException("cannot report " + e.status + " after the response started: "
          + e.getMessage());
    }
    resp.reset();
    resp.setStatus(e.status);
    byte[] body;
    if (e.condition != null) {
      resp.setContentType(XML_TYPE);
      String inner = e.conditionContent.isEmpty() ? "<D:" + e.condition + "/>"
          : "<D:" + e.condition + ">" + e.conditionContent + "</D:" + e.condition + ">";
      body = ("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<D:error xmlns:D=\"DAV:\">" + inner
          + "</D:error>\n").getBytes(StandardCharsets.UTF_8);
    } else {
      resp.setContentType("text/plain; charset=utf-8");
      body = (e.status + " " + Status.reason(e.status) + ": " + e.getMessage() + "\n")
          .getBytes(StandardCharsets.UTF_8);
    }
    resp.setContentLength(body.length);
    resp.getOutputStream().write(body);
  }
}
