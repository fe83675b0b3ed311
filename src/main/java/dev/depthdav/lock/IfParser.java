package dev.depthdav.lock;

import dev.depthdav.lock.IfHeader.Condition;
import dev.depthdav.lock.IfHeader.SyntaxException;
import dev.depthdav.lock.IfHeader.TaggedList;
import java.util.ArrayList;
import java.util.List;

/** A recursive-descent parser for the If header value (RFC 4918 §10.4), one use per value. */
final class IfParser {
  private final String s;
  private int i;

  IfParser(String s) {
    this.s = s;
  }

  /** If = ( 1*No-tag-list | 1*Tagged-list ): the first token decides which, and no mixing. */
  List<TaggedList> header() {
    skipLws();
    if (atEnd()) {
      throw error("empty header");
    }
    List<TaggedList> out = new ArrayList<>();
    boolean tagged = peek() == '<';
    while (!atEnd()) {
      if (tagged) {
        taggedList(out);
      } else if (peek() == '(') {
        out.add(new TaggedList(null, list()));
      } else {
        throw error(peek() == '<' ? "resource tag after untagged lists" : "expected '('");
      }
      skipLws();
    }
    return out;
  }

  /** Tagged-list = Resource-Tag 1*List. */
  private void taggedList(List<TaggedList> out) {
    if (peek() != '<') {
      throw error("expected '<' starting a resource tag");
    }
    int at = i;
    String tag = angled("resource tag");
    if (!tag.startsWith("/") && !hasScheme(tag)) {
      throw error("resource tag is neither an absolute URI nor an absolute path", at);
    }
    skipLws();
    if (atEnd() || peek() != '(') {
      throw error("resource tag without a list");
    }
    while (!atEnd() && peek() == '(') {
      out.add(new TaggedList(tag, list()));
      skipLws();
    }
  }

  /** List = "(" 1*Condition ")". */
  private List<Condition> list() {
    i++; // '('
    List<Condition> out = new ArrayList<>();
    for (skipLws(); atEnd() || peek() != ')'; skipLws()) {
      out.add(condition());
    }
    if (out.isEmpty()) {
      throw error("empty list");
    }
    i++; // ')'
    return out;
  }

  /** Condition = ["Not"] (State-token | "[" entity-tag "]"); "Not" in any case. */
  private Condition condition() {
    if (atEnd()) {
      throw error("unterminated list, expected ')'");
    }
    boolean not = s.regionMatches(true, i, "Not", 0, 3);
    if (not) {
      i += 3;
      skipLws();
    }
    if (!atEnd() && peek() == '<') {
      int at = i;
      String token = angled("state token");
      if (!hasScheme(token)) {
        throw error("state token is not an absolute URI", at);
      }
      return new Condition(not, token, null);
    }
    if (!atEnd() && peek() == '[') {
      return new Condition(not, null, bracketedEtag());
    }
    throw error(not ? "Not without a condition" : "expected '<', '[', 'Not' or ')'");
  }

  /** "<" text ">" with no white space or '<' inside; returns the text. */
  private String angled(String what) {
    int start = i + 1;
    int end = s.indexOf('>', start);
    if (end < 0) {
      throw error("unterminated " + what + ", expected '>'");
    }
    String v = s.substring(start, end);
    if (v.isEmpty() || v.chars().anyMatch(c -> c <= ' ' || c == '<' || c == 0x7f)) {
      throw error("malformed " + what);
    }
    i = end + 1;
    return v;
  }

  /**
   * "[" entity-tag "]", the tag returned as written. RFC 4918's own examples put spaces inside
   * the quotes (RFC 2616's quoted-string), so any character but DQUOTE and controls is accepted.
   */
  private String bracketedEtag() {
    i++; // '['
    skipLws();
    int start = i;
    if (s.startsWith("W/", i)) {
      i += 2;
    }
    if (atEnd() || peek() != '"') {
      throw error("entity tag must be a quoted string");
    }
    int close = s.indexOf('"', i + 1);
    if (close < 0) {
      throw error("unterminated entity tag");
    }
    String tag = s.substring(start, close + 1);
    if (tag.chars().anyMatch(c -> c < ' ' || c == 0x7f)) {
      throw error("control character in entity tag");
    }
    i = close + 1;
    skipLws();
    if (atEnd() || peek() != ']') {
      throw error("expected ']' after entity tag");
    }
    i++;
    return tag;
  }

  /** RFC 3986 §3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ), then ':'. */
  private static boolean hasScheme(String uri) {
    int colon = uri.indexOf(':');
    if (colon < 1 || !isAlpha(uri.charAt(0))) {
      return false;
    }
    for (int k = 1; k < colon; k++) {
      char c = uri.charAt(k);
      if (!isAlpha(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.') {
        return false;
      }
    }
    return true;
  }

  private static boolean isAlpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  /** Linear white space between tokens (RFC 4918 §10.4 keeps RFC 2616's implied *LWS). */
  private void skipLws() {
    while (!atEnd() && (peek() == ' ' || peek() == '\t' || peek() == '\r' || peek() == '\n')) {
      i++;
    }
  }

  private boolean atEnd() {
    return i >= s.length();
  }

  private char peek() {
    return s.charAt(i);
  }

  private SyntaxException error(String what) {
    return error(what, i);
  }

  private SyntaxException error(String what, int at) {
    String where = at >= s.length() ? "end of header" : "offset " + at;
    return new SyntaxException("invalid If header: " + what + " at " + where);
  }
}
