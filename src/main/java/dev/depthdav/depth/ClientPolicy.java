package dev.depthdav.depth;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which clients get 102 Processing, and how many per request, by User-Agent. The first rule
 * whose text the User-Agent contains (case-insensitively) decides; a client no rule names gets
 * {@link #unknown} (none by default: a 102 breaks clients that take it for the final response).
 * Defaults follow field notes §3.
 */
public final class ClientPolicy {
  /** One rule: a User-Agent substring and the most 102s such a client gets per request. */
  public record Rule(String contains, int max) {}

  private static final Pattern JAVA_URLCONNECTION = Pattern.compile("^Java/(\\d+)");
  private static final Pattern OKHTTP = Pattern.compile("okhttp/(\\d+)");

  /** The built-in rules, in order. */
  public static final List<Rule> DEFAULTS = List.of(
      // Every cap is kept below the count the client fails at, with a margin, and each is proved
      // with the real client in client-tests/processing.sh (102s due every millisecond).
      // neon 0.32 (litmus, cadaver, davfs2) fails at its 128th interim response in a request
      // ("Too many interim responses"); each 102 resets its read timeout.
      new Rule("neon/", 120),
      // Go's net/http before 1.24 (rclone here) fails on the 6th; its header timeout is not reset.
      new Rule("rclone/", 4),
      new Rule("Go-http-client", 4),
      new Rule("curl/", 1000),
      // java.net.http.HttpClient handles them, but fails a request past 8 (measured on JDK
      // 17.0.15: "Too many interim responses received: 9 > 8").
      new Rule("Java-http-client", 7),
      new Rule("Apache-HttpClient", 1000),
      new Rule("node", 1000),
      new Rule("undici", 1000),
      // Python's http.client family takes a 102 for the final response.
      new Rule("python", 0),
      new Rule("aiohttp", 0),
      new Rule("Wget", 0));

  private final List<Rule> rules;
  private final int unknown;

  public ClientPolicy(List<Rule> rules, int unknown) {
    this.rules = List.copyOf(rules);
    this.unknown = unknown;
  }

  /** Rules given as {@code text=max,text=max} go before the defaults. */
  public static ClientPolicy parse(String spec, int unknown) {
    List<Rule> rules = new ArrayList<>();
    if (spec != null && !spec.isBlank()) {
      for (String part : spec.split(",")) {
        int eq = part.lastIndexOf('=');
        if (eq <= 0) {
          throw new IllegalArgumentException("expected TEXT=MAX, got '" + part.trim() + "'");
        }
        rules.add(new Rule(part.substring(0, eq).trim(),
            Integer.parseInt(part.substring(eq + 1).trim())));
      }
    }
    rules.addAll(DEFAULTS);
    return new ClientPolicy(rules, unknown);
  }

  /** The most 102s a client with this User-Agent gets in one request. */
  public int maxFor(String userAgent) {
    if (userAgent == null) {
      return unknown;
    }
    Matcher java = JAVA_URLCONNECTION.matcher(userAgent);
    if (java.find()) {
      // HttpURLConnection before JDK 20 takes the 102 for the response.
      return Integer.parseInt(java.group(1)) >= 20 ? 1000 : 0;
    }
    Matcher ok = OKHTTP.matcher(userAgent.toLowerCase(Locale.ROOT));
    if (ok.find()) {
      // OkHttp 4 skips one 1xx and takes a second for the response; OkHttp 5 is fine.
      return Integer.parseInt(ok.group(1)) >= 5 ? 1000 : 0;
    }
    String ua = userAgent.toLowerCase(Locale.ROOT);
    for (Rule r : rules) {
      if (ua.contains(r.contains().toLowerCase(Locale.ROOT))) {
        return r.max();
      }
    }
    return unknown;
  }
}
