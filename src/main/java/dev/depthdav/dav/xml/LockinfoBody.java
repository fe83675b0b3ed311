package dev.depthdav.dav.xml;

import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * A LOCK request body (RFC 4918 §9.10, §14.11): DAV:lockinfo with lockscope, locktype and an
 * optional owner, kept exactly as sent.
 *
 * @param exclusive exclusive (true) or shared (false)
 * @param ownerXml the DAV:owner element serialized, or null
 */
public record LockinfoBody(boolean exclusive, String ownerXml) {

  public static LockinfoBody parse(Document doc) {
    Element root = doc.getDocumentElement();
    if (!Dom.isDav(root, "lockinfo")) {
      throw new BadRequestException("LOCK body must be a DAV:lockinfo element");
    }
    Boolean exclusive = null;
    boolean write = false;
    String owner = null;
    for (Element e : Dom.children(root)) {
      if (Dom.isDav(e, "lockscope")) {
        exclusive = scope(e);
      } else if (Dom.isDav(e, "locktype")) {
        write = Dom.children(e).stream().anyMatch(t -> Dom.isDav(t, "write"));
      } else if (Dom.isDav(e, "owner")) {
        owner = XmlFragments.serialize(e);
      }
    }
    if (exclusive == null) {
      throw new BadRequestException("DAV:lockinfo needs a DAV:lockscope");
    }
    if (!write) {
      throw new BadRequestException("only DAV:write locks exist (RFC 4918 §7)");
    }
    return new LockinfoBody(exclusive, owner);
  }

  private static boolean scope(Element e) {
    for (Element s : Dom.children(e)) {
      if (Dom.isDav(s, "exclusive")) {
        return true;
      }
      if (Dom.isDav(s, "shared")) {
        return false;
      }
    }
    throw new BadRequestException("DAV:lockscope must hold exclusive or shared");
  }
}
