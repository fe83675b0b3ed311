package dev.depthdav.dav.xml;

import dev.depthdav.store.QName;
import java.util.ArrayList;
import java.util.List;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/** Small helpers over the DOM. */
final class Dom {
  private Dom() {}

  static boolean isDav(Element e, String local) {
    return QName.DAV.equals(e.getNamespaceURI()) && local.equals(e.getLocalName());
  }

  static QName qname(Element e) {
    String ns = e.getNamespaceURI();
    return new QName(ns == null ? "" : ns, e.getLocalName());
  }

  /** The child elements, in document order. */
  static List<Element> children(Element parent) {
    List<Element> out = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e) {
        out.add(e);
      }
    }
    return out;
  }
}
