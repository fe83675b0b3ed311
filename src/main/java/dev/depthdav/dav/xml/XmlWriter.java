package dev.depthdav.dav.xml;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;

/**
 * A streaming XML writer for response bodies: elements collect in a chunk of at most about
 * {@value #CHUNK} characters that goes to the underlying writer when full, so a multistatus of
 * any size is written in constant memory. "DAV:" uses the prefix D, declared on the root element;
 * any other namespace is declared on the element that uses it. Elements in no namespace are
 * unprefixed (this writer never declares a default namespace). Nothing reaches the underlying
 * writer's caller before {@link #flush}.
 *
 * <p>The chunk is ours, not the writer's, because a PROPFIND writes a dozen tags per property of
 * every member: passing each tag to a {@code BufferedWriter} cost a lock and a bounds check per
 * call (a quarter of a PROPFIND's CPU samples, bench/results/hotpath-20261201.md), and
 * {@code Writer.append} made a String of each.
 */
public final class XmlWriter {
  private static final String DAV = "DAV:";
  private static final int CHUNK = 8192;
  private final Writer out;
  /** The open elements' prefixes ("D:", "ns0:" or "") and local names, innermost first. */
  private final Deque<String> openPrefixes = new ArrayDeque<>();
  private final Deque<String> openNames = new ArrayDeque<>();
  private final StringBuilder chunk = new StringBuilder(CHUNK + 1024);
  private char[] chars = new char[CHUNK + 1024];
  private boolean tagOpen;
  private boolean davDeclared;

  public XmlWriter(Writer out) {
    this.out = out;
  }

  public void declaration() {
    chunk.append("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
  }

  /** Opens an element. */
  public void start(String ns, String local) {
    openPrefixes.push(startTag(ns, local));
    openNames.push(local);
    tagOpen = true;
  }

  /** Adds an attribute to the element just opened. */
  public void attribute(String name, String value) {
    if (!tagOpen) {
      throw new IllegalStateException("attribute outside a start tag");
    }
    chunk.append(' ').append(name).append("=\"");
    escape(value, true, chunk);
    chunk.append('"');
  }

  /** Writes escaped character data. */
  public void text(String s) {
    closeTag();
    escape(s, false, chunk);
    drainIfFull();
  }

  /** Writes a well-formed fragment as-is, e.g. a stored dead property. */
  public void raw(String xml) {
    closeTag();
    chunk.append(xml);
    drainIfFull();
  }

  /**
   * Renders DAV: elements once, for {@link #davFragment} to write many times (a constant
   * property such as DAV:supportedlock, on every member of a listing). The D prefix is taken as
   * declared, as it is anywhere inside a body whose root is a DAV: element.
   */
  public static String renderDav(Consumer<XmlWriter> elements) {
    StringWriter out = new StringWriter();
    XmlWriter w = new XmlWriter(out);
    w.davDeclared = true;
    elements.accept(w);
    w.flush();
    return out.toString();
  }

  /** Writes a fragment {@link #renderDav} made; the D prefix must be declared already. */
  public void davFragment(String xml) {
    if (!davDeclared) {
      throw new IllegalStateException("DAV: fragment before the D prefix is declared");
    }
    raw(xml);
  }

  /** Closes the innermost open element. */
  public void end() {
    String prefix = openPrefixes.pop();
    String local = openNames.pop();
    if (tagOpen) {
      chunk.append("/>");
      tagOpen = false;
    } else {
      chunk.append("</").append(prefix).append(local).append('>');
    }
    drainIfFull();
  }

  /** Writes an empty element. */
  public void empty(String ns, String local) {
    startTag(ns, local);
    chunk.append("/>");
    drainIfFull();
  }

  /** Writes an element holding only text. */
  public void element(String ns, String local, String text) {
    start(ns, local);
    text(text);
    end();
  }

  /** Passes everything written so far to the underlying writer and flushes it. */
  public void flush() {
    closeTag();
    drain();
    try {
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes the start of a tag, attributes still to come, and returns the prefix it used. */
  private String startTag(String ns, String local) {
    closeTag();
    String prefix;
    if (DAV.equals(ns)) {
      prefix = "D:";
      chunk.append('<').append(prefix).append(local);
      if (!davDeclared) {
        chunk.append(" xmlns:D=\"DAV:\"");
        davDeclared = true;
      }
    } else if (ns == null || ns.isEmpty()) {
      prefix = "";
      chunk.append('<').append(local);
    } else {
      prefix = "ns0:";
      chunk.append('<').append(prefix).append(local).append(" xmlns:ns0=\"");
      escape(ns, true, chunk);
      chunk.append('"');
    }
    return prefix;
  }

  private void closeTag() {
    if (tagOpen) {
      chunk.append('>');
      tagOpen = false;
    }
  }

  private void drainIfFull() {
    if (chunk.length() >= CHUNK) {
      drain();
    }
  }

  /** Hands the chunk to the underlying writer in one call, through a reused array. */
  private void drain() {
    int n = chunk.length();
    if (n == 0) {
      return;
    }
    if (chars.length < n) {
      chars = new char[Math.max(n, chars.length * 2)];
    }
    chunk.getChars(0, n, chars, 0);
    chunk.setLength(0);
    try {
      out.write(chars, 0, n);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Escapes markup characters; in attributes also quotes and whitespace that attribute
   * normalization would lose. Characters XML 1.0 cannot carry become U+FFFD. The runs between
   * replacements are appended whole, and a string with none (most names, dates and types) in
   * one copy: escaping one character at a time was a quarter of a PROPFIND's XML writing
   * (bench/results/propfind-xml-20261203.md).
   */
  public static void escape(String s, boolean attribute, StringBuilder b) {
    int n = s.length();
    int from = 0;
    for (int i = 0; i < n; i++) {
      String r = replacement(s.charAt(i), attribute);
      if (r != null) {
        b.append(s, from, i).append(r);
        from = i + 1;
      }
    }
    if (from == 0) {
      b.append(s);
    } else {
      b.append(s, from, n);
    }
  }

  /** What stands for {@code c} in escaped text or an attribute value, or null to keep it. */
  private static String replacement(char c, boolean attribute) {
    switch (c) {
      case '&': return "&amp;";
      case '<': return "&lt;";
      case '>': return "&gt;";
      case '"': return attribute ? "&quot;" : null;
      case '\r': return "&#13;";
      case '\n': return attribute ? "&#10;" : null;
      case '\t': return attribute ? "&#9;" : null;
      default:
        return c < 0x20 || c == 0xFFFE || c == 0xFFFF ? "\uFFFD" : null;
    }
  }
}
