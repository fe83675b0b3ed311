package dev.depthdav.dav;

import java.io.IOException;

/** The handler of one HTTP method. It writes its success itself and throws {@link DavError}. */
interface Method {
  void handle(Exchange x) throws IOException;
}
