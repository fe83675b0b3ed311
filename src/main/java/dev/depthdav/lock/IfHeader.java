package dev.depthdav.lock;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The If request header (RFC 4918 §10.4): untagged or tagged lists of conditions on state
 * tokens and entity tags.
 *
 * <pre>
 * If = ( 1*No-tag-list | 1*Tagged-list )
 * Tagged-list = Resource-Tag 1*List      List = "(" 1*Condition ")"
 * Condition = ["Not"] (State-token | "[" entity-tag "]")
 * </pre>
 */
public final class IfHeader {
  /** DAV:no-lock names no lock, so a condition on it is never true (RFC 4918 §10.4.8). */
  public static final String NO_LOCK = "DAV:no-lock";

  /**
   * One condition: a state token or an entity tag (as written, quotes and W/ included).
   *
   * @param not whether the condition is negated
   * @param token the state token, or null
   * @param etag the entity tag, or null
   */
  public record Condition(boolean not, String token, String etag) {}

  /**
   * One list of conditions, all of which must hold.
   *
   * @param tag the resource tag as written, or null for an untagged list
   */
  public record ConditionList(String tag, List<Condition> conditions) {}

  /** What the evaluation needs to know of one resource. */
  public interface ResourceState {
    /** The current strong entity tag, quoted; null when the resource does not exist. */
    String etag();

    /** Tokens of the locks currently covering the resource. */
    Set<String> lockTokens();
  }

  /** The header does not follow the grammar; the message says where. */
  public static final class SyntaxException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SyntaxException(String message) {
      super(message);
    }
  }

  private final List<ConditionList> lists;

  private IfHeader(List<ConditionList> lists) {
    this.lists = List.copyOf(lists);
  }

  public List<ConditionList> lists() {
    return lists;
  }

  public static IfHeader parse(String value) {
    return new IfHeader(new Parser(value).lists());
  }

  /** Every state token in the header: RFC 4918 §10.4.1 counts them all as submitted. */
  public Set<String> submittedTokens() {
    Set<String> out = new LinkedHashSet<>();
    for (ConditionList l : lists) {
      for (Condition c : l.conditions()) {
        if (c.token() != null && !c.token().equals(NO_LOCK)) {
          out.add(c.token());
        }
      }
    }
    return out;
  }

  /**
   * Whether the header holds: true iff at least one list holds, each list evaluated against its
   * tagged resource ({@code tagged} resolves a tag) or, untagged, against the request's resource.
   */
  public boolean evaluate(Function<String, ResourceState> tagged, ResourceState request) {
    for (ConditionList l : lists) {
      ResourceState r = l.tag() == null ? request : tagged.apply(l.tag());
      if (holds(l, r)) {
        return true;
      }
    }
    return false;
  }

  private static boolean holds(ConditionList l, ResourceState r) {
    for (Condition c : l.conditions()) {
      if (matches(c, r) == c.not()) {
        return false;
      }
    }
    return true;
  }

  private static boolean matches(Condition c, ResourceState r) {
    if (c.token() != null) {
      return !c.token().equals(NO_LOCK) && r.lockTokens().contains(c.token());
    }
    // RFC 4918 §10.4.4 / RFC 9110 §8.8.3.2: strong comparison; a weak tag never matches.
    return r.etag() != null && !c.etag().startsWith("W/") && c.etag().equals(r.etag());
  }

  /** A recursive-descent parser over the header value. */
  private static final class Parser {
    private final String s;
    private int i;

    Parser(String s) {
      this.s = s == null ? "" : s;
    }

    List<ConditionList> lists() {
      List<ConditionList> out = new ArrayList<>();
      Boolean taggedHeader = null;
      String tag = null;
      skip();
      if (i >= s.length()) {
        throw error("empty If header");
      }
      while (i < s.length()) {
        char c = s.charAt(i);
        if (c == '<') {
          if (Boolean.FALSE.equals(taggedHeader)) {
            throw error("resource tag after untagged lists");
          }
          taggedHeader = true;
          tag = coded();
          skip();
          if (i >= s.length() || s.charAt(i) != '(') {
            throw error("resource tag without a list");
          }
        } else if (c == '(') {
          if (taggedHeader == null) {
            taggedHeader = false;
          }
          out.add(new ConditionList(taggedHeader ? tag : null, list()));
        } else {
          throw error("expected '(' or '<'");
        }
        skip();
      }
      return out;
    }

    private List<Condition> list() {
      i++; // (
      List<Condition> out = new ArrayList<>();
      while (true) {
        skip();
        if (i >= s.length()) {
          throw error("unterminated list");
        }
        char c = s.charAt(i);
        if (c == ')') {
          i++;
          if (out.isEmpty()) {
            throw error("empty list");
          }
          return out;
        }
        boolean not = false;
        if (s.regionMatches(true, i, "Not", 0, 3)) {
          not = true;
          i += 3;
          skip();
          if (i >= s.length()) {
            throw error("Not without a condition");
          }
          c = s.charAt(i);
        }
        if (c == '<') {
          out.add(new Condition(not, coded(), null));
        } else if (c == '[') {
          out.add(new Condition(not, null, etag()));
        } else {
          throw error(not ? "Not without a condition" : "expected a state token or [etag]");
        }
      }
    }

    /** A Coded-URL or Resource-Tag: "<" ... ">", non-empty, no spaces. */
    private String coded() {
      int end = s.indexOf('>', i + 1);
      if (end < 0) {
        throw error("unterminated '<'");
      }
      String v = s.substring(i + 1, end);
      if (v.isEmpty() || v.chars().anyMatch(ch -> ch <= ' ' || ch == '<')) {
        throw error("malformed URI in <...>");
      }
      i = end + 1;
      return v;
    }

    private String etag() {
      int start = i + 1;
      int j = start;
      if (s.startsWith("W/", j)) {
        j += 2;
      }
      if (j >= s.length() || s.charAt(j) != '"') {
        throw error("entity tag must be quoted");
      }
      int close = s.indexOf('"', j + 1);
      if (close < 0 || close + 1 >= s.length() || s.charAt(close + 1) != ']') {
        throw error("unterminated entity tag");
      }
      i = close + 2;
      return s.substring(start, close + 1);
    }

    private void skip() {
      while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t'
          || s.charAt(i) == '\r' || s.charAt(i) == '\n')) {
        i++;
      }
    }

    private SyntaxException error(String what) {
      return new SyntaxException("invalid If header: " + what + " at offset " + i);
    }
  }
}
