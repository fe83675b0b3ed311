package dev.depthdav.auth;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * argon2id (RFC 9106) in the PHC string format that the reference implementation writes: {@code
 * $argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>}, both in base64 without padding.
 */
final class Argon2id {
  /** OWASP Password Storage Cheat Sheet, argon2id: 19 MiB of memory, 2 passes, 1 lane. */
  static final int MEMORY_KIB = 19_456;

  static final int PASSES = 2;
  static final int LANES = 1;
  static final int SALT_BYTES = 16;
  static final int HASH_BYTES = 32;

  private static final String PREFIX = "$argon2id$v=19$";
  private static final Pattern PHC =
      Pattern.compile(
          "\\$argon2id\\$v=19\\$m=([1-9][0-9]{0,8}),t=([1-9][0-9]{0,8}),p=([1-9][0-9]{0,8})"
              + "\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");

  /*
   * Limits on what a stored string may ask of us, so that a bad entry cannot take a gigabyte or a
   * minute per login: RFC 9106 §3.1 minimums (salt 8 bytes, tag 4 bytes, memory 8 KiB per lane)
   * and our maximums (1 GiB, 64 passes, 16 lanes, 64-byte salt and tag).
   */
  private static final int MAX_MEMORY_KIB = 1 << 20;
  private static final int MAX_PASSES = 64;
  private static final int MAX_LANES = 16;

  /** The parts of a PHC string. */
  record Phc(int memoryKib, int passes, int lanes, byte[] salt, byte[] hash) {}

  private Argon2id() {}

  /** A new PHC string for {@code password} with a fresh salt and the OWASP parameters. */
  static String hash(char[] password) {
    byte[] salt = Secrets.random(SALT_BYTES);
    byte[] hash = derive(password, new Phc(MEMORY_KIB, PASSES, LANES, salt, null), HASH_BYTES);
    Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
    return String.format(
        "%sm=%d,t=%d,p=%d$%s$%s",
        PREFIX, MEMORY_KIB, PASSES, LANES, b64.encodeToString(salt), b64.encodeToString(hash));
  }

  /** Whether {@code password} gives the hash in {@code encoded}; false when it is not ours. */
  static boolean verify(char[] password, String encoded) {
    Phc phc = parse(encoded);
    if (phc == null) {
      return false;
    }
    byte[] actual = derive(password, phc, phc.hash().length);
    return MessageDigest.isEqual(actual, phc.hash());
  }

  /** The parts of {@code encoded}; null unless it is an argon2id v19 string within our limits. */
  static Phc parse(String encoded) {
    Matcher m = PHC.matcher(encoded);
    if (!m.matches()) {
      return null;
    }
    int memory = Integer.parseInt(m.group(1));
    int passes = Integer.parseInt(m.group(2));
    int lanes = Integer.parseInt(m.group(3));
    byte[] salt = base64(m.group(4));
    byte[] hash = base64(m.group(5));
    boolean within =
        salt != null
            && hash != null
            && lanes <= MAX_LANES
            && passes <= MAX_PASSES
            && memory >= 8 * lanes
            && memory <= MAX_MEMORY_KIB
            && salt.length >= 8
            && salt.length <= 64
            && hash.length >= 4
            && hash.length <= 64;
    return within ? new Phc(memory, passes, lanes, salt, hash) : null;
  }

  /** The bytes of unpadded base64 {@code text}; null when its length cannot be base64. */
  private static byte[] base64(String text) {
    try {
      return Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static byte[] derive(char[] password, Phc phc, int length) {
    Argon2Parameters params =
        new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
            .withVersion(Argon2Parameters.ARGON2_VERSION_13)
            .withMemoryAsKB(phc.memoryKib())
            .withIterations(phc.passes())
            .withParallelism(phc.lanes())
            .withSalt(phc.salt())
            .build();
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(params);
    byte[] utf8 = Secrets.utf8(password);
    byte[] out = new byte[length];
    try {
      generator.generateBytes(utf8, out);
      return out;
    } finally {
      Arrays.fill(utf8, (byte) 0);
    }
  }
}
