package dev.depthdav.dav.xml;

import dev.depthdav.store.QName;
import java.util.ArrayList;
import java.util.List;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** A PROPPATCH request body (RFC 4918 §9.2, §14.19): set and remove instructions in order. */
public final class ProppatchBody {
  private ProppatchBody() {}

  /**
   * One instruction.
   *
   * @param set true for DAV:set, false for DAV:remove
   * @param name the property
   * @param xml for a set, the property element serialized exactly and self-contained
   */
  public record PropOp(boolean set, QName name, String xml) {}

  /** The instructions in document order (RFC 4918 §9.2). */
  public static List<PropOp> parse(Document doc) {
    if (doc == null) {
      throw new BadRequestException("PROPPATCH needs a DAV:propertyupdate body");
    }
    Element root = doc.getDocumentElement();
    if (!Dom.isDav(root, "propertyupdate")) {
      throw new BadRequestException("PROPPATCH body must be a DAV:propertyupdate element");
    }
    List<PropOp> ops = new ArrayList<>();
    for (Element instruction : Dom.children(root)) {
      if (!QName.DAV.equals(instruction.getNamespaceURI())) {
        continue; // RFC 4918 §17
      }
      boolean set = instruction.getLocalName().equals("set");
      if (!set && !instruction.getLocalName().equals("remove")) {
        throw new BadRequestException("unexpected DAV:" + instruction.getLocalName()
            + " in DAV:propertyupdate");
      }
      int before = ops.size();
      for (Element prop : Dom.children(instruction)) {
        if (!Dom.isDav(prop, "prop")) {
          throw new BadRequestException("DAV:" + instruction.getLocalName()
              + " must contain DAV:prop");
        }
        for (Element p : Dom.children(prop)) {
          ops.add(new PropOp(set, Dom.qname(p), set ? XmlFragments.serialize(p) : null));
        }
      }
      if (ops.size() == before) {
        throw new BadRequestException("DAV:" + instruction.getLocalName() + " names no property");
      }
    }
    if (ops.isEmpty()) {
      throw new BadRequestException("DAV:propertyupdate holds no set or remove");
    }
    return List.copyOf(ops);
  }
}
