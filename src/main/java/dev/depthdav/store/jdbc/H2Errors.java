package dev.depthdav.store.jdbc;

import java.io.IOException;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVStoreException;

/** Reading H2's failures: which of them mean that the database could not write its file. */
final class H2Errors {
  private H2Errors() {}

  /** Whether {@code e} or a cause is H2's store failing to write (or having failed before). */
  static boolean fileWriteFailed(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof MVStoreException m && m.getErrorCode() == DataUtils.ERROR_WRITING_FAILED) {
        return true;
      }
    }
    return false;
  }

  /**
   * The innermost message: for a full disk the operating system's, for a lost database the
   * driver's.
   */
  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t instanceof IOException ? t.getMessage() : t.toString();
  }
}
