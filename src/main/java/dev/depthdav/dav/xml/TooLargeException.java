package dev.depthdav.dav.xml;

/** A request body longer than the configured limit. */
public class TooLargeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TooLargeException(String message) {
    super(message);
  }
}
