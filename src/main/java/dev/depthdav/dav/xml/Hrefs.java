package dev.depthdav.dav.xml;

import dev.depthdav.store.DavPath;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Percent-encoding of hrefs (RFC 3986 §2.1, §3.3) and strict decoding of request paths. */
public final class Hrefs {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();
  /** Bytes kept as-is in a path segment: unreserved and the sub-delims safe in every client. */
  private static final boolean[] KEEP = new boolean[128];

  static {
    for (char c = 'a'; c <= 'z'; c++) {
      KEEP[c] = true;
      KEEP[Character.toUpperCase(c)] = true;
    }
    for (char c = '0'; c <= '9'; c++) {
      KEEP[c] = true;
    }
    for (char c : "-._~!$&()*+,;=:@".toCharArray()) {
      KEEP[c] = true;
    }
  }

  private Hrefs() {}

  /** The absolute-path href of a resource; collections end with '/'. */
  public static String encode(DavPath path, boolean collection) {
    StringBuilder b = new StringBuilder();
    for (String name : path.names()) {
      b.append('/');
      encodeSegment(name, b);
    }
    if (collection || path.isRoot()) {
      b.append('/');
    }
    return b.toString();
  }

  /** Appends one percent-encoded path segment (UTF-8, uppercase hex). */
  public static void encodeSegment(String name, StringBuilder out) {
    for (byte x : name.getBytes(StandardCharsets.UTF_8)) {
      int c = x & 0xff;
      if (c < 128 && KEEP[c]) {
        out.append((char) c);
      } else {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 15]);
      }
    }
  }

  /**
   * Percent-decodes a raw request path as UTF-8, strictly: a malformed escape, invalid UTF-8 or
   * an encoded NUL is a bad request, never a guess.
   */
  public static String decodePath(String raw) {
    if (raw.indexOf('%') < 0) {
      return checkNul(raw);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        if (i + 2 >= raw.length()) {
          throw new BadRequestException("malformed percent-encoding in path");
        }
        int hi = Character.digit(raw.charAt(i + 1), 16);
        int lo = Character.digit(raw.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw new BadRequestException("malformed percent-encoding in path");
        }
        if ((hi << 4 | lo) == '/') {
          // A name holding '/' cannot exist; decoding it would silently change the path.
          throw new BadRequestException("encoded '/' (%2F) in path");
        }
        bytes.write(hi << 4 | lo);
        i += 2;
      } else if (c < 128) {
        bytes.write(c);
      } else {
        byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        bytes.write(utf8, 0, utf8.length);
      }
    }
    try {
      CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()));
      return checkNul(chars.toString());
    } catch (CharacterCodingException e) {
      throw new BadRequestException("path is not valid UTF-8 after percent-decoding");
    }
  }

  private static String checkNul(String s) {
    if (s.indexOf('\0') >= 0) {
      throw new BadRequestException("NUL in path");
    }
    return s;
  }
}
