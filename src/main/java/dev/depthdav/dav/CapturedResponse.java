package dev.depthdav.dav;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The response of an operation run with {@code Prefer: respond-async} (RFC 7240): the client
 * already has its 202, so the method's status, headers and body are captured, the body in a
 * file; when the method is done the body goes to the blob store and the operation's record
 * names it (OperationJournal), from which {@code /.depthdav/operations/ID/result} serves them
 * on any node. Nothing reaches the real response.
 */
final class CapturedResponse extends HttpServletResponseWrapper implements AutoCloseable {
  private final Path body;
  private final Map<String, String> headers = new LinkedHashMap<>();
  private int status = 200;
  private OutputStream out;
  /** The largest body kept; a method that writes more gets a 507 as its result instead. */
  private final long maxBytes;
  private long written;

  CapturedResponse(HttpServletResponse real, Path body, long maxBytes) {
    super(real);
    this.body = body;
    this.maxBytes = maxBytes;
  }

  /** Counts a write; past the limit the method's write fails, and its result becomes 507. */
  private void count(int n) throws IOException {
    written += n;
    if (written > maxBytes) {
      throw new IOException("the result of this operation exceeds " + maxBytes + " bytes");
    }
  }

  Path body() {
    return body;
  }

  Map<String, String> headers() {
    return headers;
  }

  @Override
  public void setStatus(int sc) {
    status = sc;
  }

  @Override
  public int getStatus() {
    return status;
  }

  @Override
  public void setHeader(String name, String value) {
    headers.put(name, value);
  }

  @Override
  public void addHeader(String name, String value) {
    headers.merge(name, value, (a, b) -> a + ", " + b);
  }

  @Override
  public String getHeader(String name) {
    return headers.get(name);
  }

  @Override
  public void setContentType(String type) {
    headers.put("Content-Type", type);
  }

  @Override
  public void setContentLength(int len) {
    // the length is the file's
  }

  @Override
  public void setContentLengthLong(long len) {
    // the length is the file's
  }

  @Override
  public boolean isCommitted() {
    return out != null;
  }

  @Override
  public void reset() {
    headers.clear();
    status = 200;
    if (out != null) {
      try {
        out.close();
        out = null;
        Files.deleteIfExists(body);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  @Override
  public void flushBuffer() throws IOException {
    if (out != null) {
      out.flush();
    }
  }

  @Override
  public ServletOutputStream getOutputStream() throws IOException {
    if (out == null) {
      out = Files.newOutputStream(body);
    }
    OutputStream target = out;
    return new ServletOutputStream() {
      @Override
      public void write(int b) throws IOException {
        count(1);
        target.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        count(len);
        target.write(b, off, len);
      }

      @Override
      public void flush() throws IOException {
        target.flush();
      }

      @Override
      public boolean isReady() {
        return true;
      }

      @Override
      public void setWriteListener(WriteListener listener) {
        throw new UnsupportedOperationException("blocking only");
      }
    };
  }

  @Override
  public PrintWriter getWriter() throws IOException {
    return new PrintWriter(new OutputStreamWriter(getOutputStream(), StandardCharsets.UTF_8));
  }

  /** Deletes the body file, once it is kept in the blob store or will not be. */
  @Override
  public void close() throws IOException {
    finish();
    Files.deleteIfExists(body);
  }

  /**
   * Closes the body file once the method is done. A result that outgrew the limit is never
   * served cut short: it is replaced by a 507 that says what happened.
   */
  void finish() throws IOException {
    if (out != null) {
      out.close();
    }
    if (written > maxBytes) {
      headers.clear();
      status = 507;
      headers.put("Content-Type", "text/plain; charset=utf-8");
      Files.writeString(body, "507 Insufficient Storage: the result of this operation exceeds "
          + maxBytes + " bytes, the most kept for an asynchronous result; send the request "
          + "without Prefer: respond-async\n", StandardCharsets.UTF_8);
      out = null;
    }
  }
}
