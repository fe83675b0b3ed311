package dev.depthdav.auth;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The credentials syntax that Basic and Digest share (RFC 7235 §2.1, RFC 7230 §3.2.6, §7). */
final class AuthParams {
  private static final String TCHAR_SYMBOLS = "!#$%&'*+-.^_`|~";

  /**
   * The parameter names that messages may show. Others are described by offset only: a client that
   * sends "Digest" with a token68 of user:password must not find it in our log.
   */
  private static final Set<String> KNOWN =
      Set.of(
          "username",
          "username*",
          "realm",
          "nonce",
          "uri",
          "response",
          "algorithm",
          "qop",
          "cnonce",
          "nc",
          "opaque",
          "userhash",
          "charset",
          "stale",
          "domain");

  private AuthParams() {}

  /** What follows {@code scheme} and white space in {@code header}; null for another scheme. */
  static String afterScheme(String header, String scheme) {
    if (header == null) {
      return null;
    }
    String h = trim(header);
    int end = 0;
    while (end < h.length() && !isWhite(h.charAt(end))) {
      end++;
    }
    // RFC 7235 §2.1: the auth-scheme is a case-insensitive token.
    return h.substring(0, end).equalsIgnoreCase(scheme) ? trim(h.substring(end)) : null;
  }

  /** Whether {@code s} is one token68: {@code 1*( ALPHA / DIGIT / "-._~+/" ) *"="}. */
  static boolean isToken68(String s) {
    int i = 0;
    while (i < s.length() && (isAlnum(s.charAt(i)) || "-._~+/".indexOf(s.charAt(i)) >= 0)) {
      i++;
    }
    if (i == 0) {
      return false;
    }
    while (i < s.length() && s.charAt(i) == '=') {
      i++;
    }
    return i == s.length();
  }

  /**
   * The auth-params of {@code s}, {@code name=token} or {@code name="quoted string"} separated by
   * commas; names lower-cased, quoted values unescaped, empty list elements skipped (RFC 7230 §7).
   */
  static Map<String, String> parse(String s) {
    Map<String, String> out = new LinkedHashMap<>();
    int i = skipSeparators(s, 0);
    while (i < s.length()) {
      int nameEnd = tokenEnd(s, i);
      if (nameEnd == i) {
        throw new AuthSyntaxException("expected a parameter name at offset " + i);
      }
      String name = s.substring(i, nameEnd).toLowerCase(Locale.ROOT);
      String what = KNOWN.contains(name) ? "parameter " + name : "the parameter at offset " + i;
      i = skipWhite(s, nameEnd);
      if (i >= s.length() || s.charAt(i) != '=') {
        throw new AuthSyntaxException(what + " has no '='");
      }
      StringBuilder value = new StringBuilder();
      i = value(s, skipWhite(s, i + 1), what, value);
      // RFC 7235 §2.1: each parameter name MUST only occur once per challenge or credentials.
      if (out.put(name, value.toString()) != null) {
        throw new AuthSyntaxException(what + " occurs twice");
      }
      i = skipWhite(s, i);
      if (i < s.length() && s.charAt(i) != ',') {
        throw new AuthSyntaxException("expected ',' after " + what);
      }
      i = skipSeparators(s, i);
    }
    return Collections.unmodifiableMap(out);
  }

  /** {@code s} as a quoted-string, with '"' and '\' escaped (RFC 7230 §3.2.6). */
  static String quote(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      out.append(c == '"' || c == '\\' ? "\\" : "").append(c);
    }
    return out.append('"').toString();
  }

  /** Reads a token or quoted-string value at {@code i} into {@code out}; returns its end. */
  private static int value(String s, int i, String what, StringBuilder out) {
    if (i < s.length() && s.charAt(i) == '"') {
      return quoted(s, i + 1, what, out);
    }
    int end = tokenEnd(s, i);
    if (end == i) {
      throw new AuthSyntaxException(what + " has no value");
    }
    out.append(s, i, end);
    return end;
  }

  /** RFC 7230 §3.2.6: qdtext, and quoted-pair ("\" then any visible char, SP or HTAB). */
  private static int quoted(String s, int i, String what, StringBuilder out) {
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '"') {
        return i + 1;
      }
      if (c == '\\' && i + 1 < s.length()) {
        c = s.charAt(++i);
      }
      if (c != '\t' && (c < 0x20 || c == 0x7f)) {
        throw new AuthSyntaxException("control character in the value of " + what);
      }
      out.append(c);
      i++;
    }
    throw new AuthSyntaxException("unterminated quoted-string in " + what);
  }

  private static int tokenEnd(String s, int i) {
    while (i < s.length() && (isAlnum(s.charAt(i)) || TCHAR_SYMBOLS.indexOf(s.charAt(i)) >= 0)) {
      i++;
    }
    return i;
  }

  private static int skipSeparators(String s, int i) {
    while (i < s.length() && (isWhite(s.charAt(i)) || s.charAt(i) == ',')) {
      i++;
    }
    return i;
  }

  private static int skipWhite(String s, int i) {
    while (i < s.length() && isWhite(s.charAt(i))) {
      i++;
    }
    return i;
  }

  private static String trim(String s) {
    int start = skipWhite(s, 0);
    int end = s.length();
    while (end > start && isWhite(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(start, end);
  }

  private static boolean isWhite(char c) {
    return c == ' ' || c == '\t';
  }

  private static boolean isAlnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }
}
