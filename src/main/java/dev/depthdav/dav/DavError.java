package dev.depthdav.dav;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request that ends in an error status. The handler throws it; {@link Exchange#fail} is the one
 * place that writes it.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc4918#section-16">RFC 4918 §16</a>
 */
final class DavError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  final int status;
  /** Local name of the DAV: precondition element for the error body, or null. */
  final String condition;
  /** The condition element's content (e.g. DAV:href elements), already XML; may be empty. */
  final String conditionContent;
  /** Seconds for a Retry-After header, or 0 for none. */
  final int retryAfter;
  /** Further headers the error answer carries (Content-Range of a 416, say). */
  final Map<String, String> headers;

  DavError(int status, String message) {
    this(status, null, message);
  }

  DavError(int status, String condition, String message) {
    this(status, condition, "", message);
  }

  DavError(int status, String condition, String conditionContent, String message) {
    this(status, condition, conditionContent, message, 0);
  }

  DavError(int status, String condition, String conditionContent, String message,
      int retryAfter) {
    this(status, condition, conditionContent, message, retryAfter, Map.of());
  }

  private DavError(int status, String condition, String conditionContent, String message,
      int retryAfter, Map<String, String> headers) {
    super(message);
    this.status = status;
    this.condition = condition;
    this.conditionContent = conditionContent;
    this.retryAfter = retryAfter;
    this.headers = headers;
  }

  /** The same error with one more header on its answer. */
  DavError with(String name, String value) {
    Map<String, String> h = new LinkedHashMap<>(headers);
    h.put(name, value);
    return new DavError(status, condition, conditionContent, getMessage(), retryAfter,
        Map.copyOf(h));
  }
}
