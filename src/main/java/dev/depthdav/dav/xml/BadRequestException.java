package dev.depthdav.dav.xml;

/** A request part (header, path or body) that cannot be accepted; the message says why. */
public class BadRequestException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BadRequestException(String message) {
    super(message);
  }
}
