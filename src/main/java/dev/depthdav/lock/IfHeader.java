package dev.depthdav.lock;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The If request header (RFC 4918 §10.4): untagged or tagged lists of conditions on state tokens
 * and entity tags.
 *
 * <pre>
 * If = ( 1*No-tag-list | 1*Tagged-list )
 * No-tag-list = List                     Tagged-list = Resource-Tag 1*List
 * List = "(" 1*Condition ")"             Condition = ["Not"] (State-token | "[" entity-tag "]")
 * State-token = Coded-URL                Resource-Tag = "<" Simple-ref ">"
 * </pre>
 */
public final class IfHeader {
  /** DAV:no-lock names no lock, so a condition on it is never true (RFC 4918 §10.4.8). */
  public static final String NO_LOCK = "DAV:no-lock";

  /**
   * One condition on a state token or an entity tag; exactly one of the two is set.
   *
   * @param not whether the condition is negated
   * @param stateToken the state token without its angle brackets, or null
   * @param etag the entity tag as written, quotes and {@code W/} included, or null
   */
  public record Condition(boolean not, String stateToken, String etag) {}

  /**
   * One list of conditions, all of which must hold.
   *
   * @param resourceTag the resource tag as written without its angle brackets; null when untagged
   */
  public record TaggedList(String resourceTag, List<Condition> conditions) {
    public TaggedList {
      conditions = List.copyOf(conditions);
    }
  }

  /** What evaluation needs to know of one resource. */
  public interface ResourceState {
    /** The current strong entity tag, quoted; null when the resource does not exist. */
    String etag();

    /** Tokens of the locks currently covering the resource. */
    Set<String> lockTokens();
  }

  /** The state of a resource that does not exist and is not locked. */
  public static final ResourceState ABSENT =
      new ResourceState() {
        @Override
        public String etag() {
          return null;
        }

        @Override
        public Set<String> lockTokens() {
          return Set.of();
        }
      };

  /** The header does not follow the grammar; the message says what and at which offset. */
  public static final class SyntaxException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SyntaxException(String message) {
      super(message);
    }
  }

  private final List<TaggedList> lists;

  private IfHeader(List<TaggedList> lists) {
    this.lists = List.copyOf(lists);
  }

  /** Parses a header value. @throws SyntaxException if it is empty or malformed */
  public static IfHeader parse(String value) {
    return new IfHeader(new IfParser(value == null ? "" : value).header());
  }

  /** The lists in the order written. */
  public List<TaggedList> lists() {
    return lists;
  }

  /**
   * Every state token in the header, negated or not: RFC 4918 §10.4.1 (and litmus) count a lock
   * token as submitted when it appears anywhere in the If header.
   */
  public Set<String> submittedTokens() {
    Set<String> out = new LinkedHashSet<>();
    for (TaggedList l : lists) {
      for (Condition c : l.conditions()) {
        if (c.stateToken() != null) {
          out.add(c.stateToken());
        }
      }
    }
    return out;
  }

  /**
   * Whether the header holds (RFC 4918 §10.4.2-10.4.4): true iff at least one list, among all
   * lists, holds. An untagged list is evaluated against {@code request}; a tagged one against
   * {@code stateOfTag.apply(tag)}, where null means an unmapped resource ({@link #ABSENT}).
   *
   * <p>RFC 4918 §10.4.3 lets a server ignore tagged lists on resources the method does not touch;
   * we do not: every list counts, which is simpler and never makes a false header true.
   */
  public boolean evaluate(Function<String, ResourceState> stateOfTag, ResourceState request) {
    for (TaggedList l : lists) {
      ResourceState r = l.resourceTag() == null ? request : stateOfTag.apply(l.resourceTag());
      if (holds(l, r == null ? ABSENT : r)) {
        return true;
      }
    }
    return false;
  }

  private static boolean holds(TaggedList l, ResourceState r) {
    for (Condition c : l.conditions()) {
      if (matches(c, r) == c.not()) {
        return false;
      }
    }
    return true;
  }

  /** The condition without its Not. */
  private static boolean matches(Condition c, ResourceState r) {
    if (c.stateToken() != null) {
      // RFC 4918 §10.4.8: DAV:no-lock is never the token of a lock.
      return !c.stateToken().equals(NO_LOCK) && r.lockTokens().contains(c.stateToken());
    }
    // RFC 4918 §10.4.4, RFC 9110 §8.8.3.2: strong comparison, so a weak tag never matches, and a
    // missing resource has no entity tag to match (RFC 4918 §10.4.11).
    return r.etag() != null && !c.etag().startsWith("W/") && c.etag().equals(r.etag());
  }
}
