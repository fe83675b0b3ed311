package dev.depthdav.dav.xml;

import java.util.HashMap;
import java.util.Map;
import org.w3c.dom.Attr;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/**
 * Serializes a property element exactly as sent (prefixes, attributes, xml:lang, mixed content)
 * and self-contained: every namespace it uses is declared within it, so it can be stored alone
 * and written back into any response.
 */
public final class XmlFragments {
  private static final String XMLNS = "http://www.w3.org/2000/xmlns/";
  private static final String XML = "http://www.w3.org/XML/1998/namespace";

  private XmlFragments() {}

  public static String serialize(Element e) {
    StringBuilder b = new StringBuilder();
    element(e, new HashMap<>(), b);
    return b.toString();
  }

  private static void element(Element e, Map<String, String> inScope, StringBuilder b) {
    Map<String, String> scope = new HashMap<>(inScope);
    StringBuilder decls = new StringBuilder();
    String prefix = e.getPrefix() == null ? "" : e.getPrefix();
    bind(prefix, e.getNamespaceURI() == null ? "" : e.getNamespaceURI(), scope, decls);
    NamedNodeMap attrs = e.getAttributes();
    StringBuilder attrText = new StringBuilder();
    for (int i = 0; i < attrs.getLength(); i++) {
      Attr a = (Attr) attrs.item(i);
      if (XMLNS.equals(a.getNamespaceURI())) {
        continue; // declarations are recomputed
      }
      if (a.getNamespaceURI() != null && !XML.equals(a.getNamespaceURI())) {
        bind(a.getPrefix(), a.getNamespaceURI(), scope, decls);
      }
      attrText.append(' ').append(a.getName()).append("=\"");
      XmlWriter.escape(a.getValue(), true, attrText);
      attrText.append('"');
    }
    String name = e.getTagName();
    b.append('<').append(name).append(decls).append(attrText);
    if (e.getFirstChild() == null) {
      b.append("/>");
      return;
    }
    b.append('>');
    for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
      switch (n.getNodeType()) {
        case Node.ELEMENT_NODE:
          element((Element) n, scope, b);
          break;
        case Node.TEXT_NODE:
        case Node.CDATA_SECTION_NODE:
          XmlWriter.escape(n.getNodeValue(), false, b);
          break;
        default:
          break; // comments and processing instructions are not part of the value
      }
    }
    b.append("</").append(name).append('>');
  }

  /** Declares {@code prefix} as {@code uri} unless the scope already binds it so. */
  private static void bind(String prefix, String uri, Map<String, String> scope,
      StringBuilder decls) {
    String p = prefix == null ? "" : prefix;
    if ("xml".equals(p) || uri.equals(scope.getOrDefault(p, ""))) {
      return;
    }
    scope.put(p, uri);
    decls.append(p.isEmpty() ? " xmlns=\"" : " xmlns:" + p + "=\"");
    XmlWriter.escape(uri, true, decls);
    decls.append('"');
  }
}
