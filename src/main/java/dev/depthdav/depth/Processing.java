package dev.depthdav.depth;

import java.time.Duration;

/**
 * When to send 102 Processing (RFC 2518 §10.1): first after {@code after}, then every
 * {@code interval}, at most {@code cap} per request and never more than the client policy allows.
 *
 * @param enabled false turns 102 off entirely (for proxies that mishandle 1xx, such as nginx)
 */
public record Processing(boolean enabled, Duration after, Duration interval, int cap,
    ClientPolicy policy) {

  /** The most 102s this request may get. */
  public int budget(String userAgent) {
    return enabled ? Math.min(cap, policy.maxFor(userAgent)) : 0;
  }
}
