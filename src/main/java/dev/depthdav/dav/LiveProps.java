package dev.depthdav.dav;

import dev.depthdav.dav.xml.XmlWriter;
import dev.depthdav.store.Node;
import dev.depthdav.store.QName;
import dev.depthdav.store.Store;
import dev.depthdav.lock.Lock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.Supplier;

/** The live properties the server computes for every resource (RFC 4918 §15). */
final class LiveProps {
  static final String DAV = QName.DAV;
  static final QName CREATIONDATE = QName.dav("creationdate");
  static final QName DISPLAYNAME = QName.dav("displayname");
  static final QName GETCONTENTLENGTH = QName.dav("getcontentlength");
  static final QName GETCONTENTTYPE = QName.dav("getcontenttype");
  static final QName GETETAG = QName.dav("getetag");
  static final QName GETLASTMODIFIED = QName.dav("getlastmodified");
  static final QName RESOURCETYPE = QName.dav("resourcetype");
  static final QName LOCKDISCOVERY = QName.dav("lockdiscovery");
  static final QName SUPPORTEDLOCK = QName.dav("supportedlock");
  static final QName QUOTA_AVAILABLE = QName.dav("quota-available-bytes");
  static final QName QUOTA_USED = QName.dav("quota-used-bytes");
  /**
   * RFC 4331 §3 and §4, on collections: the whole data folder's figures (one quota for all).
   * They cost a look at the file system, so they are given only when asked for by name: RFC 4918
   * §9.1 leaves live properties of other specifications out of allprop, and propname with them.
   */
  static final List<QName> QUOTA = List.of(QUOTA_AVAILABLE, QUOTA_USED);

  /** Every live property, in the order allprop writes them. */
  static final List<QName> ALL =
      List.of(CREATIONDATE, DISPLAYNAME, GETCONTENTLENGTH, GETCONTENTTYPE, GETETAG,
          GETLASTMODIFIED, RESOURCETYPE, LOCKDISCOVERY, SUPPORTEDLOCK);

  /** The media type of a collection's GET representation, the HTML listing. */
  static final String COLLECTION_TYPE = "text/html; charset=utf-8";

  private static final DateTimeFormatter RFC3339 =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  private LiveProps() {}

  static boolean isLive(QName name) {
    return ALL.contains(name) || QUOTA.contains(name);
  }

  /**
   * Whether PROPPATCH must refuse the property. DAV:displayname is settable (RFC 4918 §15.2: it
   * is not protected); a set value is stored as a dead property and shadows the computed one.
   */
  static boolean isProtected(QName name) {
    return isLive(name) && !name.equals(DISPLAYNAME);
  }

  /** The quoted strong entity tag of a node. */
  static String etag(Node n) {
    return "\"" + n.etag() + "\"";
  }

  /**
   * The RFC 3339 date-time of an instant, as DAV:creationdate carries it (RFC 4918 §15.1),
   * composed by hand as {@link HttpDates#format} is: java.time's formatter was a tenth of the XML
   * writing of a PROPFIND (bench/results/propfind-xml-20261203.md). Years outside 1000-9999 go
   * through the formatter.
   */
  static String creationDate(Instant t) {
    long secs = t.getEpochSecond();
    LocalDate day = HttpDates.fourDigitYearDay(secs);
    if (day == null) {
      return RFC3339.format(t);
    }
    StringBuilder b = new StringBuilder(20).append(day.getYear()).append('-');
    HttpDates.twoDigits(b, day.getMonthValue()).append('-');
    HttpDates.twoDigits(b, day.getDayOfMonth()).append('T');
    return HttpDates.time(b, secs).append('Z').toString();
  }

  /** The RFC 9110 HTTP-date of a node's last modification. */
  static String lastModified(Node n) {
    return HttpDates.format(n.modified()); // IMF-fixdate: "Tue, 01 Dec 2026", never "1 Dec"
  }

  static String contentType(Node n) {
    if (n.collection()) {
      return COLLECTION_TYPE;
    }
    return n.contentType() != null ? n.contentType() : "application/octet-stream";
  }

  /** Writes a quota property of a collection (RFC 4331) from the store's figures. */
  static void writeQuota(XmlWriter w, QName name, Store.Space space) {
    w.element(DAV, name.local(), Long.toString(name.equals(QUOTA_AVAILABLE)
        ? space.availableBytes() : space.usedBytes()));
  }

  /** Writes one live property element with its value; {@code locks} are the node's locks. */
  static void write(XmlWriter w, QName name, Node n, Supplier<List<Lock>> locks, Instant now) {
    String local = name.local();
    switch (local) {
      case "lockdiscovery":
        LockProps.lockdiscovery(w, locks.get(), now);
        break;
      case "supportedlock":
        LockProps.supportedlock(w);
        break;
      case "creationdate":
        w.element(DAV, local, creationDate(n.created()));
        break;
      case "displayname":
        w.element(DAV, local, n.name());
        break;
      case "getcontentlength":
        w.element(DAV, local, Long.toString(n.collection() ? 0 : n.length()));
        break;
      case "getcontenttype":
        w.element(DAV, local, contentType(n));
        break;
      case "getetag":
        w.element(DAV, local, etag(n));
        break;
      case "getlastmodified":
        w.element(DAV, local, lastModified(n));
        break;
      case "resourcetype":
        if (n.collection()) {
          w.start(DAV, local);
          w.empty(DAV, "collection");
          w.end();
        } else {
          w.empty(DAV, local);
        }
        break;
      default:
        throw new IllegalArgumentException("not a live property: " + name);
    }
  }
}
