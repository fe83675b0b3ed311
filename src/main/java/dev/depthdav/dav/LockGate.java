package dev.depthdav.dav;

import dev.depthdav.dav.xml.BadRequestException;
import dev.depthdav.dav.xml.Destination;
import dev.depthdav.lock.IfHeader;
import dev.depthdav.lock.Lock;
import dev.depthdav.store.DavPath;
import dev.depthdav.store.Node;
import dev.depthdav.store.Tx;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The If header and lock checks of a request (RFC 4918 §10.4, §7). A method names the resources
 * it changes; the gate answers 412 when the If header is false and 423 with
 * DAV:lock-token-submitted when a lock on one of them was not submitted. Subtrees are checked
 * with one set-based lookup each, never a walk.
 */
final class LockGate {
  private final Exchange x;
  /** The transaction the checks run in: the lock table is read in it. */
  private final Tx tx;
  private final IfHeader header;
  private final Set<Lock> affected = new LinkedHashSet<>();

  private LockGate(Exchange x, Tx tx, IfHeader header) {
    this.x = x;
    this.tx = tx;
    this.header = header;
  }

  /** Parses the If header (400 when malformed) and evaluates it (412 when false). */
  static LockGate open(Exchange x, Tx tx) {
    String value = x.header("If");
    IfHeader h = null;
    if (value != null) {
      try {
        h = IfHeader.parse(value);
      } catch (IfHeader.SyntaxException e) {
        throw new DavError(400, e.getMessage());
      }
    }
    LockGate gate = new LockGate(x, tx, h);
    if (h != null && !h.evaluate(tag -> gate.state(tx, tag), gate.state(tx, x.path(), true))) {
      throw new DavError(412, "the If header evaluates to false");
    }
    return gate;
  }

  /** The tokens the client submitted. */
  Set<String> submitted() {
    return header == null ? Set.of() : header.submittedTokens();
  }

  /** The resource at {@code path} changes (PUT, PROPPATCH): locks covering it. */
  LockGate resource(DavPath path) {
    affected.addAll(tx.locks().covering(key(path), x.now()));
    return this;
  }

  /** {@code path} and everything below it change (DELETE, MOVE, overwrite). */
  LockGate tree(DavPath path) {
    affected.addAll(tx.locks().covering(key(path), x.now()));
    affected.addAll(tx.locks().within(key(path), x.now()));
    return this;
  }

  /**
   * Locks rooted strictly below {@code path} whose tokens were not submitted: the members a
   * DELETE of {@code path} must leave in place (RFC 4918 §9.6.1).
   */
  List<Lock> blockedBelow(DavPath path) {
    Set<String> tokens = submitted();
    List<Lock> out = new ArrayList<>();
    for (Lock l : tx.locks().within(key(path), x.now())) {
      if (!l.root().equals(key(path)) && !held(l, tokens)) {
        out.add(l);
      }
    }
    return out;
  }

  /** A member is added to or removed from the parent of {@code path} (RFC 4918 §7.4). */
  LockGate membership(DavPath path) {
    return resource(path.parent());
  }

  /**
   * The resource at {@code path} changes and so does its parent's membership (PUT of a new
   * file, MKCOL, DELETE, the destination of COPY or MOVE): {@link #resource} and {@link
   * #membership} in one lookup.
   */
  LockGate member(DavPath path) {
    affected.addAll(tx.locks().coveringWithParent(key(path), x.now()));
    return this;
  }

  /** Throws 423 naming the root of the first affected lock whose token was not submitted. */
  void require() {
    Set<String> tokens = submitted();
    for (Lock l : affected) {
      if (!held(l, tokens)) {
        throw new DavError(Status.LOCKED, "lock-token-submitted",
            "<D:href>" + x.href(DavPath.parse(l.root()), false) + "</D:href>",
            "the resource is locked at " + l.root() + " and its lock token was not submitted");
      }
    }
  }

  /**
   * Whether the request holds {@code l}: it submitted the token and is the principal that took
   * the lock. RFC 4918 §6.4: a lock token is not a credential; another principal submitting it is
   * treated as not holding the lock.
   */
  private boolean held(Lock l, Set<String> tokens) {
    return tokens.contains(l.token()) && x.owns(l);
  }

  /** The decoded path a lock table stores for {@code path}. */
  static String key(DavPath path) {
    return path.toString();
  }

  private IfHeader.ResourceState state(Tx tx, String tag) {
    DavPath p;
    try {
      p = x.toStore(Destination.parse(tag, x.req.getScheme(), x.req.getServerName(),
          x.req.getServerPort()));
    } catch (BadRequestException | Destination.OtherServerException e) {
      return IfHeader.ABSENT;
    }
    return state(tx, p, false);
  }

  /**
   * The state an If header list is evaluated against. For the Request-URI ({@code subtree}) the
   * lock tokens include those of locks below it: the untagged lists apply to the resources the
   * method affects, so a client moving or deleting a collection may submit the tokens of locked
   * members untagged rather than tag each member (a deliberate leniency: strict tagging would
   * answer 412 to such clients).
   */
  private IfHeader.ResourceState state(Tx tx, DavPath p, boolean subtree) {
    Node n = tx.resolve(p).orElse(null);
    String etag = n == null ? null : LiveProps.etag(n);
    Set<String> tokens = tx.locks().covering(key(p), x.now()).stream().map(Lock::token)
        .collect(Collectors.toSet());
    if (subtree) {
      tx.locks().within(key(p), x.now()).forEach(l -> tokens.add(l.token()));
    }
    return new IfHeader.ResourceState() {
      @Override
      public String etag() {
        return etag;
      }

      @Override
      public Set<String> lockTokens() {
        return tokens;
      }
    };
  }

}
