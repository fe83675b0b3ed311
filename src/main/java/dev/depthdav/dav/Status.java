package dev.depthdav.dav;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Status codes and reason phrases used in multistatus bodies. */
final class Status {
  static final int MULTI_STATUS = 207;
  static final int UNPROCESSABLE = 422;
  static final int LOCKED = 423;
  static final int INSUFFICIENT_STORAGE = 507;
  static final int FAILED_DEPENDENCY = 424;

  private Status() {}

  /** The body of a plain-text error: {@code 403 Forbidden: why}, and a newline. */
  static String text(int code, String message) {
    return code + " " + reason(code) + ": " + message + "\n";
  }

  /** Writes a whole plain-text answer: the status and {@link #text}. */
  static void writeText(HttpServletResponse resp, int code, String message) throws IOException {
    byte[] body = text(code, message).getBytes(StandardCharsets.UTF_8);
    resp.setStatus(code);
    resp.setContentType("text/plain; charset=utf-8");
    resp.setContentLength(body.length);
    resp.getOutputStream().write(body);
  }

  /** The status line as written inside a DAV:status element. */
  static String line(int code) {
    return "HTTP/1.1 " + code + " " + reason(code);
  }

  static String reason(int code) {
    switch (code) {
      case 200: return "OK";
      case 201: return "Created";
      case 204: return "No Content";
      case 206: return "Partial Content";
      case 207: return "Multi-Status";
      case 301: return "Moved Permanently";
      case 304: return "Not Modified";
      case 400: return "Bad Request";
      case 401: return "Unauthorized";
      case 403: return "Forbidden";
      case 404: return "Not Found";
      case 405: return "Method Not Allowed";
      case 408: return "Request Timeout";
      case 409: return "Conflict";
      case 412: return "Precondition Failed";
      case 413: return "Content Too Large";
      case 415: return "Unsupported Media Type";
      case 416: return "Range Not Satisfiable";
      case 421: return "Misdirected Request";
      case 423: return "Locked";
      case 424: return "Failed Dependency";
      case 429: return "Too Many Requests";
      case 500: return "Internal Server Error";
      case 501: return "Not Implemented";
      case 502: return "Bad Gateway";
      case 503: return "Service Unavailable";
      case 507: return "Insufficient Storage";
      default: return "Status " + code;
    }
  }
}
