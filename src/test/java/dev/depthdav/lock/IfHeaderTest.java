package dev.depthdav.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthdav.lock.IfHeader.Condition;
import dev.depthdav.lock.IfHeader.TaggedList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Table tests from RFC 4918 §10.4.6-10.4.11 and litmus's `locks` suite. */
class IfHeaderTest {
  static final String T1 = "urn:uuid:181d4fae-7d8c-11d0-a765-00a0c91e6bf2";
  static final String T2 = "urn:uuid:58f202ac-22cf-11d1-b12d-002035b29092";
  static final String SPECS = "http://www.example.com/specs/";
  static final String RES1 = "http://www.example.com/resource1";
  static final String RES2 = "http://www.example.com/resource2";

  record State(String etag, Set<String> lockTokens) implements IfHeader.ResourceState {}

  static final State LOCKED_T1 = new State("\"I am an ETag\"", Set.of(T1));
  static final State LOCKED_T2 = new State("\"I am an ETag\"", Set.of(T2));
  static final State UNLOCKED = new State("\"I am another ETag\"", Set.of());
  static final State MISSING = new State(null, Set.of());

  /** Tagged resources; anything else (e.g. /specs/rfc2518.doc) is unmapped. */
  static final Map<String, IfHeader.ResourceState> TAGS =
      Map.of(
          SPECS, new State("\"specs\"", Set.of(T1)),
          RES1, new State("\"strong ETag\"", Set.of(T1)),
          RES2, new State("\"other\"", Set.of(T1)));

  static Stream<Arguments> evaluateCases() {
    return Stream.of(
        args("good: §10.4.6 first list", "(<T1> [\"I am an ETag\"]) ([\"I am another ETag\"])",
            LOCKED_T1, true),
        args("good: §10.4.6 second list", "(<T1> [\"I am an ETag\"]) ([\"I am another ETag\"])",
            UNLOCKED, true),
        args("good: §10.4.6 neither list", "(<T1> [\"I am an ETag\"]) ([\"I am another ETag\"])",
            LOCKED_T2, false),
        args("good: §10.4.7 Not T1 and T2, locked by T2", "(Not <T1> <T2>)", LOCKED_T2, true),
        args("good: §10.4.7 Not T1 and T2, locked by T1", "(Not <T1> <T2>)", LOCKED_T1, false),
        args("good: §10.4.8 always true, locked", "(<T1>) (Not <DAV:no-lock>)", LOCKED_T2, true),
        args("good: §10.4.8 always true, missing", "(<T1>) (Not <DAV:no-lock>)", MISSING, true),
        args("good: §10.4.9 weak never matches, strong does",
            "<" + RES1 + "> (<T1> [W/\"A weak ETag\"]) ([\"strong ETag\"])", MISSING, true),
        args("good: §10.4.9 on a resource with another etag",
            "<" + RES2 + "> (<T1> [W/\"A weak ETag\"]) ([\"strong ETag\"])", LOCKED_T1, false),
        args("good: §10.4.10 collection lock token", "<" + SPECS + "> (<T1>)", MISSING, true),
        args("good: §10.4.10 wrong token", "<" + SPECS + "> (<T2>)", LOCKED_T2, false),
        args("good: §10.4.11 unmapped has no etag", "</specs/rfc2518.doc> ([\"4217\"])",
            LOCKED_T1, false),
        args("good: §10.4.11 Not on unmapped", "</specs/rfc2518.doc> (Not [\"4217\"])",
            MISSING, true),
        args("good: any tagged list may hold",
            "<" + SPECS + "> (<T2>) <" + RES1 + "> ([\"strong ETag\"])", MISSING, true),
        args("good: litmus token and etag both match", "(<T1> [\"I am an ETag\"])", LOCKED_T1,
            true),
        args("good: litmus token matches, etag does not", "(<T1> [\"stale\"])", LOCKED_T1, false),
        args("good: litmus DAV:no-lock never true", "(<DAV:no-lock> [\"I am an ETag\"])",
            LOCKED_T1, false),
        args("good: litmus corrupt token, Not no-lock",
            "(<opaquelocktoken:bad>) (Not <DAV:no-lock>)", LOCKED_T1, true),
        args("good: litmus corrupt token alone", "(<opaquelocktoken:bad>)", LOCKED_T1, false),
        args("good: weak tag never matches", "([W/\"I am an ETag\"])", LOCKED_T1, false),
        args("good: Not weak tag always true", "(Not [W/\"I am an ETag\"])", LOCKED_T1, true),
        args("good: missing resource matches no etag", "([\"I am an ETag\"])", MISSING, false),
        args("good: Not etag on missing resource", "(Not [\"x\"])", MISSING, true),
        args("good: Not and LWS in any case", " \t( nOt\r\n <DAV:no-lock> ) ", MISSING, true),
        args("good: no LWS at all", "(NOT<DAV:no-lock>[\"I am an ETag\"])", LOCKED_T1, true));
  }

  /** {@code T1}, {@code T2} in a header stand for the RFC's example tokens. */
  static Arguments args(String name, String header, State request, boolean expected) {
    return Arguments.of(name, header.replace("T1", T1).replace("T2", T2), request, expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("evaluateCases")
  void evaluate(String name, String header, State request, boolean expected) {
    assertEquals(expected, IfHeader.parse(header).evaluate(TAGS::get, request));
  }

  @ParameterizedTest(name = "bad: {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "empty header               | ''",
        "blank header               | '   '",
        "missing ')'                | (<urn:a:b>",
        "missing ')' after etag     | ([\"x\"]",
        "Not without condition      | (Not)",
        "Not at end of list         | (<urn:a:b> Not )",
        "Not Not                    | (Not Not <urn:a:b>)",
        "unterminated '<'           | (<urn:a:b)",
        "unterminated resource tag  | <http://x/ (<urn:a:b>)",
        "garbage between lists      | (<urn:a:b>) garbage (<urn:c:d>)",
        "garbage after lists        | (<urn:a:b>) x",
        "empty list                 | ()",
        "blank list                 | ( )",
        "nested list                | ((<urn:a:b>))",
        "untagged then tagged       | (<urn:a:b>) <http://x/> (<urn:c:d>)",
        "tag without list           | <http://x/>",
        "two tags, one list         | <http://x/> <http://y/> (<urn:a:b>)",
        "relative resource tag      | <x/y> (<urn:a:b>)",
        "empty state token          | (<>)",
        "space in state token       | (<urn:a b>)",
        "state token not a URI      | (<no-scheme>)",
        "etag outside a list        | [\"x\"]",
        "unquoted etag              | ([unquoted])",
        "unterminated etag          | ([\"open)",
        "etag without ']'           | ([\"x\" <urn:a:b>)",
        "W/ without a tag           | ([W/])",
        "lowercase weak prefix      | ([w/\"x\"])",
      })
  void parse_bad(String name, String header) {
    assertThrows(IfHeader.SyntaxException.class, () -> IfHeader.parse(header));
  }

  @Test
  void parse_null_isEmpty() {
    assertThrows(IfHeader.SyntaxException.class, () -> IfHeader.parse(null));
  }

  @Test
  void parse_error_saysWhatAndWhere() {
    var e = assertThrows(IfHeader.SyntaxException.class, () -> IfHeader.parse("(<a:b>) x"));
    assertEquals("invalid If header: expected '(' at offset 8", e.getMessage());
    e = assertThrows(IfHeader.SyntaxException.class, () -> IfHeader.parse("(<a:b>"));
    assertTrue(e.getMessage().endsWith("at end of header"), e.getMessage());
  }

  @Test
  void parse_tagged_modelKeepsTagsAndEtagsAsWritten() {
    IfHeader h =
        IfHeader.parse("<" + RES1 + "> (<" + T1 + "> [W/\"A weak ETag\"]) ([\"strong ETag\"])"
            + " </a%20b/> (Not <" + T2 + ">)");
    assertEquals(
        List.of(
            new TaggedList(RES1,
                List.of(new Condition(false, T1, null),
                    new Condition(false, null, "W/\"A weak ETag\""))),
            new TaggedList(RES1, List.of(new Condition(false, null, "\"strong ETag\""))),
            new TaggedList("/a%20b/", List.of(new Condition(true, T2, null)))),
        h.lists());
  }

  @Test
  void parse_untagged_modelHasNullTag() {
    IfHeader h = IfHeader.parse("(Not <" + T1 + "> <" + T2 + ">)");
    assertEquals(
        List.of(new TaggedList(null,
            List.of(new Condition(true, T1, null), new Condition(false, T2, null)))),
        h.lists());
  }

  @Test
  void submittedTokens_everyToken_negatedOrNot() {
    IfHeader h = IfHeader.parse("(<" + T1 + "> [\"e\"]) (Not <" + T2 + ">) (Not <DAV:no-lock>)");
    assertEquals(List.of(T1, T2, IfHeader.NO_LOCK), List.copyOf(h.submittedTokens()));
    assertEquals(Set.of(T1, T2),
        IfHeader.parse("<" + SPECS + "> (<" + T1 + ">) </y> (Not <" + T2 + ">)").submittedTokens());
    assertEquals(Set.of(), IfHeader.parse("([\"e\"])").submittedTokens());
  }

  @Test
  void submittedTokens_corruptToken_isSubmittedButLocksNothing() {
    IfHeader h = IfHeader.parse("(<opaquelocktoken:bad>) (Not <DAV:no-lock>)");
    assertTrue(h.submittedTokens().contains("opaquelocktoken:bad"));
    assertFalse(LOCKED_T1.lockTokens().contains("opaquelocktoken:bad"));
  }
}
