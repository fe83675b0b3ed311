package dev.depthdav.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigTest {
  private static Config parse(Map<String, String> env, String... args) throws Exception {
    return Config.parse(args, env::get);
  }

  @Test
  void parse_noFlags_loopbackDefaults() throws Exception {
    Config c = parse(Map.of());
    assertEquals(8080, c.port());
    assertEquals("127.0.0.1", c.bind());
    assertEquals(Path.of("data").toAbsolutePath(), c.data());
    assertEquals(1 << 20, c.maxXmlBody());
    assertTrue(c.fsync());
  }

  @Test
  void parse_db_postgresUrlOrEmpty_passwordNeverShown() throws Exception {
    assertEquals("", parse(Map.of()).db().url());
    Config c = parse(Map.of("DEPTHDAV_DB_PASSWORD", "s3cret"), "--db",
        "jdbc:postgresql://127.0.0.1:5432/dav", "--db-user", "dav");
    assertEquals("jdbc:postgresql://127.0.0.1:5432/dav", c.db().url());
    assertEquals("s3cret", c.db().password());
    assertFalse(c.db().toString().contains("s3cret"));
    assertThrows(Config.UsageException.class,
        () -> parse(Map.of(), "--db", "jdbc:mysql://127.0.0.1/dav"));
    assertEquals(null, c.db().blobs());
    assertEquals(Path.of("/srv/blobs"), parse(Map.of(), "--blobs", "file:/srv/blobs").db().blobs());
    assertThrows(Config.UsageException.class, () -> parse(Map.of(), "--blobs", "s3://"));
    assertThrows(Config.UsageException.class, () -> parse(Map.of(), "--blobs", "s3://b",
        "--s3-access-key", "id"));
  }

  @Test
  void blobs_s3_bucketPrefixAndFlags() throws Exception {
    Database d = parse(Map.of("DEPTHDAV_S3_SECRET_KEY", "hidden"), "--blobs",
        "s3://bucket/some/prefix/", "--s3-endpoint", "http://127.0.0.1:9000", "--s3-path-style",
        "--s3-access-key", "id").db();
    assertEquals(null, d.blobs());
    assertEquals(new dev.depthdav.store.s3.S3Location("bucket", "some/prefix",
        java.net.URI.create("http://127.0.0.1:9000"), "us-east-1", true, "id", "hidden",
        dev.depthdav.store.s3.S3Location.PART_SIZE), d.s3());
    assertFalse(d.toString().contains("hidden"), d.toString());
    Database plain = parse(Map.of(), "--blobs", "s3://b2", "--s3-region", "eu-west-3").db();
    assertEquals("", plain.s3().prefix());
    assertEquals("eu-west-3", plain.s3().region());
    assertFalse(plain.s3().pathStyle());
    assertEquals(null, plain.s3().accessKey()); // the SDK's defaults: AWS_ACCESS_KEY_ID first
  }

  @Test
  void parse_fsync_onOffOnly() throws Exception {
    assertFalse(parse(Map.of(), "--fsync", "off").fsync());
    assertFalse(parse(Map.of("DEPTHDAV_FSYNC", "off")).fsync());
    assertTrue(parse(Map.of("DEPTHDAV_FSYNC", "off"), "--fsync=on").fsync());
    assertThrows(Config.UsageException.class, () -> parse(Map.of(), "--fsync", "maybe"));
  }

  @Test
  void parse_digest_offByDefaultOnByFlagSwitchOrEnvironment() throws Exception {
    assertFalse(parse(Map.of()).security().digest());
    assertTrue(parse(Map.of(), "--digest", "on").security().digest());
    assertTrue(parse(Map.of(), "--digest", "--port", "1").security().digest()); // a switch
    assertTrue(parse(Map.of("DEPTHDAV_DIGEST", "on")).security().digest());
    assertFalse(parse(Map.of("DEPTHDAV_DIGEST", "on"), "--digest=off").security().digest());
    assertThrows(Config.UsageException.class, () -> parse(Map.of(), "--digest", "md5"));
  }

  @Test
  void parse_flagsOverrideEnvironment() throws Exception {
    Config c = parse(Map.of("DEPTHDAV_PORT", "9000", "DEPTHDAV_BIND", "::1"),
        "--port", "9001", "--data=/tmp/x");
    assertEquals(9001, c.port());
    assertEquals("::1", c.bind());
    assertEquals(Path.of("/tmp/x"), c.data());
  }

  @Test
  void parse_badInput_usageErrors() {
    assertThrows(Config.UsageException.class, () -> parse(Map.of(), "--nope", "1"));
    assertThrows(Config.UsageException.class, () -> parse(Map.of(), "--port"));
    assertThrows(Config.UsageException.class, () -> parse(Map.of(), "--port", "http"));
    assertThrows(Config.UsageException.class, () -> parse(Map.of(), "--port", "70000"));
    assertThrows(Config.UsageException.class, () -> parse(Map.of("DEPTHDAV_PORT", "x")));
  }

  @Test
  void usage_listsEveryFlag() {
    String u = Config.usage();
    for (String flag : new String[] {"--port", "--bind", "--data", "--help"}) {
      assertTrue(u.contains(flag), flag);
    }
  }
}
