package dev.depthdav.server;

import java.nio.file.Path;

/** A TLS file (certificate, key, keystore, client CAs) that cannot serve; the message names it. */
public final class TlsFileException extends Exception {
  private static final long serialVersionUID = 1L;

  TlsFileException(Path file, String problem) {
    super(file + ": " + problem);
  }

  TlsFileException(Path file, String problem, Throwable cause) {
    super(file + ": " + problem
        + (cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")"), cause);
  }
}
