package dev.depthdav.dav.xml;

import dev.depthdav.store.QName;
import java.util.ArrayList;
import java.util.List;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * A PROPFIND request body (RFC 4918 §9.1, §14.20).
 *
 * @param kind which of allprop, propname or prop
 * @param props the properties asked for, in document order (prop only)
 * @param include the DAV:include list (allprop only)
 */
public record PropfindBody(Kind kind, List<QName> props, List<QName> include) {

  /** The three kinds of PROPFIND. */
  public enum Kind { ALLPROP, PROPNAME, PROP }

  /** An empty body means allprop (RFC 4918 §9.1). */
  public static final PropfindBody ALLPROP = new PropfindBody(Kind.ALLPROP, List.of(), List.of());

  /** Interprets a parsed body; null means no body. */
  public static PropfindBody parse(Document doc) {
    if (doc == null) {
      return ALLPROP;
    }
    Element root = doc.getDocumentElement();
    if (!Dom.isDav(root, "propfind")) {
      throw new BadRequestException("PROPFIND body must be a DAV:propfind element");
    }
    Kind kind = null;
    List<QName> props = List.of();
    List<QName> include = List.of();
    for (Element e : Dom.children(root)) {
      if (!QName.DAV.equals(e.getNamespaceURI())) {
        continue; // RFC 4918 §17: unknown elements are ignored
      }
      Kind k;
      switch (e.getLocalName()) {
        case "allprop": k = Kind.ALLPROP; break;
        case "propname": k = Kind.PROPNAME; break;
        case "prop": k = Kind.PROP; props = names(e); break;
        case "include": include = names(e); continue;
        default: continue;
      }
      if (kind != null) {
        throw new BadRequestException("DAV:propfind must hold one of allprop, propname, prop");
      }
      kind = k;
    }
    if (kind == null) {
      throw new BadRequestException("DAV:propfind must hold one of allprop, propname, prop");
    }
    return new PropfindBody(kind, props, kind == Kind.ALLPROP ? include : List.of());
  }

  private static List<QName> names(Element parent) {
    List<QName> out = new ArrayList<>();
    for (Element e : Dom.children(parent)) {
      QName q = Dom.qname(e);
      if (!out.contains(q)) {
        out.add(q);
      }
    }
    return List.copyOf(out);
  }
}
