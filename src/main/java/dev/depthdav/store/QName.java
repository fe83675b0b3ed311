package dev.depthdav.store;

/** An XML qualified name: namespace URI ("" for none) and local name. */
public record QName(String namespace, String local) {
  public static final String DAV = "DAV:";

  public static QName dav(String local) {
    return new QName(DAV, local);
  }

  @Override
  public String toString() {
    return "{" + namespace + "}" + local;
  }
}
