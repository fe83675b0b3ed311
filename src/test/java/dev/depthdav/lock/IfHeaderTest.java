package dev.depthdav.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Table tests from RFC 4918 §10.4 and litmus's conditional PUTs. */
class IfHeaderTest {
  static final String T1 = "urn:uuid:181d4fae-7d8c-11d0-a765-00a0c91e6bf2";
  static final String T2 = "urn:uuid:58f202ac-22cf-11d1-b12d-002035b29092";
  static final String ETAG = "\"I am an ETag\"";

  record State(String etag, Set<String> lockTokens) implements IfHeader.ResourceState {}

  /** The request resource: etag "I am an ETag", locked by T1. */
  static final State LOCKED = new State(ETAG, Set.of(T1));
  static final State OTHER = new State("\"other\"", Set.of(T2));

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("good: token and etag both match",
            "(<" + T1 + "> [" + ETAG + "])", true),
        Arguments.of("good: RFC §10.4.6 second list matches",
            "(<" + T2 + "> [" + ETAG + "]) ([" + ETAG + "])", true),
        Arguments.of("good: DAV:no-lock never matches", "(<DAV:no-lock> [" + ETAG + "])", false),
        Arguments.of("good: Not DAV:no-lock always matches",
            "(<opaquelocktoken:bad>) (Not <DAV:no-lock>)", true),
        Arguments.of("good: RFC §10.4.7 Not token", "(Not <" + T2 + "> <" + T1 + ">)", true),
        Arguments.of("good: weak etag never matches", "([W/" + ETAG + "])", false),
        Arguments.of("good: wrong etag", "([\"nope\"])", false),
        Arguments.of("good: tagged list on another resource",
            "<http://www.example.com/other> (<" + T2 + ">)", true),
        Arguments.of("good: tagged list, wrong token there",
            "<http://www.example.com/other> (<" + T1 + ">)", false),
        Arguments.of("good: case-insensitive Not and spacing",
            "  ( not <DAV:no-lock> )  ", true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void evaluate(String name, String header, boolean expected) {
    Map<String, IfHeader.ResourceState> tags = Map.of("http://www.example.com/other", OTHER);
    assertEquals(expected, IfHeader.parse(header).evaluate(tags::get, LOCKED));
  }

  @ParameterizedTest(name = "bad: {0}")
  @ValueSource(strings = {"", "   ", "(<" + T1 + ">", "(Not)", "(<unterminated)", "()",
      "(<a:b>) garbage", "<http://x/> ", "(<a:b>) <http://x/> (<c:d>)", "([\"open)",
      "(<a b>)", "([unquoted])"})
  void parse_bad(String header) {
    assertThrows(IfHeader.SyntaxException.class, () -> IfHeader.parse(header));
  }

  @org.junit.jupiter.api.Test
  void submittedTokens_everyTokenButNoLock() {
    IfHeader h = IfHeader.parse("(<" + T1 + ">) (Not <DAV:no-lock>) (Not <" + T2 + ">)");
    assertEquals(Set.of(T1, T2), h.submittedTokens());
  }
}
