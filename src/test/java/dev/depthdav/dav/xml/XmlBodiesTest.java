package dev.depthdav.dav.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthdav.store.QName;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;

/** Table tests for the XML request bodies, their hardening, and the response writer. */
class XmlBodiesTest {
  private static Document parse(String xml) throws IOException {
    return XmlBody.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), 4096);
  }

  @ParameterizedTest(name = "bad: {0}")
  @ValueSource(strings = {
      "<D:propfind xmlns:D=\"DAV:\"><D:prop>",
      "<D:propfind xmlns:D=\"DAV:\"><D:prop><bar:foo xmlns:bar=\"\"/></D:prop></D:propfind>",
      "<D:propfind><D:allprop/></D:propfind>",
      "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 "
          + "\"&lol;&lol;&lol;&lol;\">]><D:propfind xmlns:D=\"DAV:\">&lol2;</D:propfind>",
      "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
          + "<D:propfind xmlns:D=\"DAV:\"><D:prop>&xxe;</D:prop></D:propfind>",
      "not xml at all",
      "<a></b>",
  })
  void xmlBody_bad(String body) {
    assertThrows(BadRequestException.class, () -> parse(body));
  }

  /**
   * The parser is kept per thread and reset before each body: on one thread, good and bad
   * bodies in turn must get the answers each gets alone, the hardening included, and nothing
   * of one document may show in the next.
   */
  @Test
  void xmlBody_oneThreadManyBodies_eachAnsweredAsAlone() throws IOException {
    String deepest = "<a>".repeat(XmlBody.MAX_DEPTH) + "</a>".repeat(XmlBody.MAX_DEPTH);
    String tooDeep = "<a>".repeat(XmlBody.MAX_DEPTH + 1) + "</a>".repeat(XmlBody.MAX_DEPTH + 1);
    String doctype = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e \"e\">]><x>&e;</x>";
    for (int i = 0; i < 500; i++) {
      Document d = XmlBody.parse(new ByteArrayInputStream(("<v xmlns=\"urn:" + i + "\">a&amp;"
          + i + "</v>").getBytes(StandardCharsets.UTF_8)), 1 << 20);
      assertEquals("urn:" + i, d.getDocumentElement().getNamespaceURI());
      assertEquals("a&" + i, d.getDocumentElement().getTextContent());
      assertTrue(XmlBody.parse(new ByteArrayInputStream(deepest.getBytes(StandardCharsets.UTF_8)),
          1 << 20) != null);
      String bad = List.of(tooDeep, doctype, "<a></b>", "<a>").get(i % 4);
      assertThrows(BadRequestException.class, () -> parse(bad), bad);
    }
  }

  @Test
  void xmlBody_emptyOrBlank_null() throws IOException {
    assertNull(parse(""));
    assertNull(parse(" \r\n\t"));
  }

  @Test
  void xmlBody_overLimit_tooLarge() {
    String big = "<a>" + "x".repeat(5000) + "</a>";
    assertThrows(TooLargeException.class, () -> parse(big));
  }

  @Test
  void propfind_kinds() throws IOException {
    assertEquals(PropfindBody.Kind.ALLPROP, PropfindBody.parse(null).kind());
    assertEquals(PropfindBody.Kind.PROPNAME,
        PropfindBody.parse(parse("<propfind xmlns=\"DAV:\"><propname/></propfind>")).kind());
    PropfindBody prop = PropfindBody.parse(parse("<D:propfind xmlns:D=\"DAV:\"><D:prop>"
        + "<D:getetag/><z:x xmlns:z=\"urn:z\"/><y xmlns=\"\"/></D:prop></D:propfind>"));
    assertEquals(List.of(QName.dav("getetag"), new QName("urn:z", "x"), new QName("", "y")),
        prop.props());
    PropfindBody include = PropfindBody.parse(parse("<D:propfind xmlns:D=\"DAV:\"><D:allprop/>"
        + "<D:include><D:supportedlock/></D:include></D:propfind>"));
    assertEquals(List.of(QName.dav("supportedlock")), include.include());
  }

  @ParameterizedTest(name = "bad: {0}")
  @ValueSource(strings = {
      "<D:propfind xmlns:D=\"DAV:\"/>",
      "<D:propfind xmlns:D=\"DAV:\"><D:allprop/><D:propname/></D:propfind>",
      "<D:other xmlns:D=\"DAV:\"><D:allprop/></D:other>",
  })
  void propfind_bad(String body) {
    assertThrows(BadRequestException.class, () -> PropfindBody.parse(parse(body)));
  }

  @Test
  void proppatch_documentOrderAndExactValues() throws IOException {
    List<ProppatchBody.PropOp> ops = ProppatchBody.parse(parse(
        "<D:propertyupdate xmlns:D=\"DAV:\" xmlns:Z=\"urn:z\"><D:remove><D:prop><Z:a/></D:prop>"
            + "</D:remove><D:set><D:prop><Z:a xml:lang=\"fr\">x<Z:b k=\"&quot;\">y</Z:b>z"
            + "</Z:a></D:prop></D:set></D:propertyupdate>"));
    assertEquals(2, ops.size());
    assertEquals(false, ops.get(0).set());
    assertEquals(new QName("urn:z", "a"), ops.get(1).name());
    assertEquals("<Z:a xmlns:Z=\"urn:z\" xml:lang=\"fr\">x<Z:b k=\"&quot;\">y</Z:b>z</Z:a>",
        ops.get(1).xml());
  }

  @Test
  void fragments_defaultNamespacesAndUnicode() throws IOException {
    List<ProppatchBody.PropOp> ops = ProppatchBody.parse(parse(
        "<propertyupdate xmlns=\"DAV:\"><set><prop><t xmlns=\"urn:t\"><u xmlns=\"\">\uD83D\uDE00"
            + "</u></t></prop></set></propertyupdate>"));
    assertEquals("<t xmlns=\"urn:t\"><u xmlns=\"\">\uD83D\uDE00</u></t>", ops.get(0).xml());
    // The fragment parses on its own: it is self-contained.
    assertTrue(parse(ops.get(0).xml()) != null);
  }

  @ParameterizedTest(name = "bad: {0}")
  @ValueSource(strings = {
      "<D:propertyupdate xmlns:D=\"DAV:\"/>",
      "<D:propertyupdate xmlns:D=\"DAV:\"><D:set><D:prop/></D:set></D:propertyupdate>",
      "<D:propertyupdate xmlns:D=\"DAV:\"><D:frob/></D:propertyupdate>",
      "<D:propfind xmlns:D=\"DAV:\"><D:allprop/></D:propfind>",
  })
  void proppatch_bad(String body) {
    assertThrows(BadRequestException.class, () -> ProppatchBody.parse(parse(body)));
  }

  @Test
  void writer_namespacesAndEscaping() throws IOException {
    StringWriter out = new StringWriter();
    XmlWriter w = new XmlWriter(out);
    w.start("DAV:", "multistatus");
    w.element("DAV:", "href", "/a&b<c>");
    w.empty("urn:z", "x");
    w.empty("", "plain");
    w.raw("<q:r xmlns:q=\"urn:q\"/>");
    w.end();
    w.flush();
    assertEquals("<D:multistatus xmlns:D=\"DAV:\"><D:href>/a&amp;b&lt;c&gt;</D:href>"
        + "<ns0:x xmlns:ns0=\"urn:z\"/><plain/><q:r xmlns:q=\"urn:q\"/></D:multistatus>",
        out.toString());
    assertTrue(parse(out.toString()) != null);
  }
  /**
   * The escaping appends the runs between replacements whole: it must give what replacing one
   * character at a time gives, for any string, in text and in attributes.
   */
  @Test
  void escape_agreesWithOneCharacterAtATime() {
    char[] alphabet = {'a', 'Z', ' ', '\u00e9', '\u4e2d', '\ud83d', '\ude00', '&', '<', '>',
        '"', '\'', '\r', '\n', '\t', '\u0000', '\u0001', '\u001f', '\ufffd', '\ufffe',
        '\uffff'};
    Random random = new Random(1203);
    for (int i = 0; i < 20_000; i++) {
      char[] cs = new char[random.nextInt(24)];
      for (int j = 0; j < cs.length; j++) {
        cs[j] = alphabet[random.nextInt(alphabet.length)];
      }
      String s = new String(cs);
      for (boolean attribute : new boolean[] {false, true}) {
        StringBuilder b = new StringBuilder("x");
        XmlWriter.escape(s, attribute, b);
        assertEquals("x" + oneAtATime(s, attribute), b.toString(), s + " " + attribute);
      }
    }
  }

  /** The reference: every character on its own, as XML 1.0 and attribute normalization ask. */
  private static String oneAtATime(String s, boolean attribute) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      if (c == '&') {
        b.append("&amp;");
      } else if (c == '<') {
        b.append("&lt;");
      } else if (c == '>') {
        b.append("&gt;");
      } else if (c == '"' && attribute) {
        b.append("&quot;");
      } else if (c == '\r') {
        b.append("&#13;");
      } else if ((c == '\n' || c == '\t') && attribute) {
        b.append("&#").append((int) c).append(';');
      } else if ((c < 0x20 && c != '\n' && c != '\t') || c == 0xFFFE || c == 0xFFFF) {
        b.append('\uFFFD');
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  /** A fragment rendered once is written as its elements would be, and only under D:'s prefix. */
  @Test
  void davFragment_writtenAsTheElements_onlyOnceDIsDeclared() {
    String fragment = XmlWriter.renderDav(w -> {
      w.start("DAV:", "lockentry");
      w.element("DAV:", "depth", "a<b");
      w.empty("urn:z", "x");
      w.end();
    });
    StringWriter direct = new StringWriter();
    XmlWriter d = new XmlWriter(direct);
    d.start("DAV:", "prop");
    d.start("DAV:", "lockentry");
    d.element("DAV:", "depth", "a<b");
    d.empty("urn:z", "x");
    d.end();
    d.end();
    d.flush();
    StringWriter viaFragment = new StringWriter();
    XmlWriter f = new XmlWriter(viaFragment);
    f.start("DAV:", "prop");
    f.davFragment(fragment);
    f.end();
    f.flush();
    assertEquals(direct.toString(), viaFragment.toString());
    XmlWriter undeclared = new XmlWriter(new StringWriter());
    undeclared.start("", "plain");
    assertThrows(IllegalStateException.class, () -> undeclared.davFragment(fragment));
  }
}
