package dev.depthdav.store.s3;

import java.net.URI;

/**
 * Where blobs are kept in S3-compatible object storage, and how to reach it.
 *
 * @param bucket the bucket (it must exist)
 * @param prefix the folder of the blobs in the bucket, without slashes at either end; empty for
 *     its top
 * @param endpoint the service's URL; null for AWS's own endpoint of the region
 * @param region the signing region (us-east-1 where the service does not care)
 * @param pathStyle name the bucket in the path ({@code http://host/bucket/key}) rather than in
 *     the host name, as self-hosted services usually need (s3proxy in the tests)
 * @param accessKey the access key; null for the AWS SDK's default credentials (the
 *     {@code AWS_ACCESS_KEY_ID} and {@code AWS_SECRET_ACCESS_KEY} variables first)
 * @param secretKey its secret
 * @param partSize bytes per part of a multipart upload; bodies smaller than one part are sent
 *     in one request
 */
public record S3Location(String bucket, String prefix, URI endpoint, String region,
    boolean pathStyle, String accessKey, String secretKey, long partSize) {
  /** 8 MiB parts (S3 accepts 5 MiB to 5 GiB, at most 10,000 of them: bodies up to 78 GiB). */
  public static final long PART_SIZE = 8L << 20;
  /** The smallest part S3 accepts, but for the last. */
  public static final long MIN_PART_SIZE = 5L << 20;

  /**
   * Parses {@code s3://bucket[/prefix]}.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static S3Location parse(String url, URI endpoint, String region, boolean pathStyle,
      String accessKey, String secretKey) {
    if (!url.startsWith("s3://")) {
      throw new IllegalArgumentException("not an s3:// URL: " + url);
    }
    String rest = url.substring(5);
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    String prefix = slash < 0 ? "" : rest.substring(slash + 1).replaceAll("^/+|/+$", "");
    if (bucket.isEmpty()) {
      throw new IllegalArgumentException("no bucket in " + url);
    }
    if ((accessKey == null) != (secretKey == null)) {
      throw new IllegalArgumentException("an access key needs its secret key, and the reverse");
    }
    return new S3Location(bucket, prefix, endpoint, region, pathStyle, accessKey, secretKey,
        PART_SIZE);
  }

  /** The same place with parts of {@code bytes} (tests use small parts to reach multipart). */
  public S3Location withPartSize(long bytes) {
    return new S3Location(bucket, prefix, endpoint, region, pathStyle, accessKey, secretKey,
        bytes);
  }

  /** The key of a blob: {@code <prefix>/<hash[0..2]>/<hash>}. */
  String key(String hash) {
    return folder() + hash.substring(0, 2) + "/" + hash;
  }

  /** The key prefix of every blob: {@code <prefix>/}, or empty. */
  String folder() {
    return prefix.isEmpty() ? "" : prefix + "/";
  }

  @Override
  public String toString() { // never the secret
    return "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix)
        + (endpoint == null ? "" : " at " + endpoint);
  }
}
