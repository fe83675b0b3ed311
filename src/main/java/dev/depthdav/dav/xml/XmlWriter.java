package dev.depthdav.dav.xml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A streaming XML writer for response bodies: each element goes straight to the underlying
 * writer, so a multistatus of any size is written in constant memory. "DAV:" uses the prefix D,
 * declared on the root element; any other namespace is declared on the element that uses it.
 * Elements in no namespace are unprefixed (this writer never declares a default namespace).
 */
public final class XmlWriter {
  private static final String DAV = "DAV:";
  private final Writer out;
  private final Deque<String> open = new ArrayDeque<>();
  private final StringBuilder buf = new StringBuilder(256);
  private boolean tagOpen;
  private boolean davDeclared;

  public XmlWriter(Writer out) {
    this.out = out;
  }

  public void declaration() {
    write("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
  }

  /** Opens an element. */
  public void start(String ns, String local) {
    open.push(startTag(ns, local));
    tagOpen = true;
  }

  /** Adds an attribute to the element just opened. */
  public void attribute(String name, String value) {
    if (!tagOpen) {
      throw new IllegalStateException("attribute outside a start tag");
    }
    buf.setLength(0);
    buf.append(' ').append(name).append("=\"");
    escape(value, true, buf);
    buf.append('"');
    write(buf);
  }

  /** Writes escaped character data. */
  public void text(String s) {
    closeTag();
    buf.setLength(0);
    escape(s, false, buf);
    write(buf);
  }

  /** Writes a well-formed fragment as-is, e.g. a stored dead property. */
  public void raw(String xml) {
    closeTag();
    write(xml);
  }

  /** Closes the innermost open element. */
  public void end() {
    String name = open.pop();
    if (tagOpen) {
      write("/>");
      tagOpen = false;
    } else {
      write("</" + name + ">");
    }
  }

  /** Writes an empty element. */
  public void empty(String ns, String local) {
    startTag(ns, local);
    write("/>");
  }

  /** Writes an element holding only text. */
  public void element(String ns, String local, String text) {
    start(ns, local);
    text(text);
    end();
  }

  public void flush() {
    closeTag();
    try {
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String startTag(String ns, String local) {
    closeTag();
    buf.setLength(0);
    String name;
    if (DAV.equals(ns)) {
      name = "D:" + local;
      buf.append('<').append(name);
      if (!davDeclared) {
        buf.append(" xmlns:D=\"DAV:\"");
        davDeclared = true;
      }
    } else if (ns == null || ns.isEmpty()) {
      name = local;
      buf.append('<').append(name);
    } else {
      name = "ns0:" + local;
      buf.append('<').append(name).append(" xmlns:ns0=\"");
      escape(ns, true, buf);
      buf.append('"');
    }
    write(buf);
    return name;
  }

  private void closeTag() {
    if (tagOpen) {
      write(">");
      tagOpen = false;
    }
  }

  private void write(CharSequence s) {
    try {
      out.append(s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Escapes markup characters; in attributes also quotes and whitespace that attribute
   * normalization would lose. Characters XML 1.0 cannot carry become U+FFFD.
   */
  public static void escape(String s, boolean attribute, StringBuilder b) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&': b.append("&amp;"); break;
        case '<': b.append("&lt;"); break;
        case '>': b.append("&gt;"); break;
        case '"': b.append(attribute ? "&quot;" : "\""); break;
        case '\r': b.append("&#13;"); break;
        case '\n': b.append(attribute ? "&#10;" : "\n"); break;
        case '\t': b.append(attribute ? "&#9;" : "\t"); break;
        default:
          if (c < 0x20 || c == 0xFFFE || c == 0xFFFF) {
            b.append('\uFFFD');
          } else {
            b.append(c);
          }
      }
    }
  }
}
