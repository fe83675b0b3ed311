package dev.depthdav.dav.xml;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.xml.sax.EntityResolver;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Strict, hardened parsing of XML request bodies: no DTDs (so no entity expansion and no
 * external entities), namespace-aware, bounded in size.
 */
public final class XmlBody {
  /** The deepest element nesting accepted in a request body (dead property values included). */
  public static final int MAX_DEPTH = 128;
  private static final DocumentBuilderFactory FACTORY = factory();
  /**
   * One builder per thread, reset before each body: making a builder (a new parser
   * configuration) was half the time spent parsing a small PROPFIND body
   * (bench/results/propfind-xml-20261203.md). A builder whose parse failed is dropped.
   */
  private static final ThreadLocal<DocumentBuilder> BUILDERS = new ThreadLocal<>();

  private XmlBody() {}

  private static DocumentBuilderFactory factory() {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    f.setXIncludeAware(false);
    f.setExpandEntityReferences(false);
    try {
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setFeature("http://xml.org/sax/features/external-general-entities", false);
      f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
      f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException("the JDK XML parser cannot be hardened", e);
    }
    // Deeper documents are refused while parsing: nothing later walks more levels than this.
    f.setAttribute("http://www.oracle.com/xml/jaxp/properties/maxElementDepth",
        Integer.toString(MAX_DEPTH));
    f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
    f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
    return f;
  }

  /**
   * Reads and parses a body of at most {@code maxBytes}.
   *
   * @return the document, or null when the body is empty or only whitespace
   * @throws TooLargeException past the limit
   * @throws BadRequestException when the body is not well-formed, namespace-valid XML
   */
  public static Document parse(InputStream in, long maxBytes) throws IOException {
    byte[] body = readLimited(in, maxBytes);
    if (isBlank(body)) {
      return null;
    }
    try {
      DocumentBuilder b = BUILDERS.get();
      if (b == null) {
        b = FACTORY.newDocumentBuilder();
        BUILDERS.set(b);
      } else {
        b.reset(); // as newDocumentBuilder made it, handlers included
      }
      b.setErrorHandler(STRICT);
      b.setEntityResolver(REFUSE);
      return b.parse(new InputSource(new ByteArrayInputStream(body)));
    } catch (SAXException e) {
      BUILDERS.remove(); // a builder whose parse failed is not used again
      String m = e.getMessage() == null ? "not well-formed" : e.getMessage();
      if (m.contains("DOCTYPE")) {
        m = "DTDs are not allowed";
      } else if (m.contains("maxElementDepth")) {
        m = "elements nested deeper than " + MAX_DEPTH + " levels";
      }
      throw new BadRequestException(m);
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] readLimited(InputStream in, long maxBytes) throws IOException {
    int cap = (int) Math.min(maxBytes + 1, Integer.MAX_VALUE - 8);
    byte[] buf = new byte[Math.min(cap, 8192)];
    int len = 0;
    while (true) {
      if (len == buf.length) {
        if (len >= cap) {
          throw new TooLargeException("request body exceeds " + maxBytes + " bytes");
        }
        buf = Arrays.copyOf(buf, (int) Math.min((long) len * 2, cap));
      }
      int n = in.read(buf, len, buf.length - len);
      if (n < 0) {
        break;
      }
      len += n;
      if (len > maxBytes) {
        throw new TooLargeException("request body exceeds " + maxBytes + " bytes");
      }
    }
    return Arrays.copyOf(buf, len);
  }

  private static boolean isBlank(byte[] body) {
    for (byte b : body) {
      if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
        return false;
      }
    }
    return true;
  }

  private static final EntityResolver REFUSE = (publicId, systemId) -> {
    throw new SAXException("external entities are not allowed");
  };

  /** Turns every warning and error into a failure, and keeps the parser quiet on stderr. */
  private static final ErrorHandler STRICT = new ErrorHandler() {
    @Override
    public void warning(SAXParseException e) throws SAXException {
      throw e;
    }

    @Override
    public void error(SAXParseException e) throws SAXException {
      throw e;
    }

    @Override
    public void fatalError(SAXParseException e) throws SAXException {
      throw e;
    }
  };
}
