package dev.depthdav.auth;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;

/** Random bytes, and passwords turned between char[] and UTF-8 bytes without a String copy. */
final class Secrets {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Secrets() {}

  /** {@code n} bytes from a SecureRandom. */
  static byte[] random(int n) {
    byte[] out = new byte[n];
    RANDOM.nextBytes(out);
    return out;
  }

  /**
   * The UTF-8 bytes of {@code chars} (an unpaired surrogate becomes '?'); the caller wipes them.
   */
  static byte[] utf8(char[] chars) {
    ByteBuffer buf = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars));
    byte[] out = new byte[buf.remaining()];
    buf.get(out);
    if (buf.hasArray()) {
      Arrays.fill(buf.array(), (byte) 0);
    }
    return out;
  }

  /** {@code bytes} decoded as strict UTF-8; null when they are not UTF-8. The caller wipes them. */
  static char[] chars(byte[] bytes) {
    try {
      CharBuffer buf =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes));
      char[] out = new char[buf.remaining()];
      buf.get(out);
      if (buf.hasArray()) {
        Arrays.fill(buf.array(), '\0');
      }
      return out;
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
