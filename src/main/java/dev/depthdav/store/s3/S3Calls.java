package dev.depthdav.store.s3;

import dev.depthdav.store.StoreException;
import dev.depthdav.store.blob.BoundedInputStream;
import dev.depthdav.store.blob.Spool;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The S3 requests the blob store makes, each with its failures translated: a missing object is
 * a null (or false) answer, a service that cannot be reached or answers 5xx is
 * {@link StoreException.Unavailable}, anything else (403: wrong credentials; 404 for the bucket)
 * a {@link StoreException}.
 */
final class S3Calls implements AutoCloseable {
  private static final String OCTETS = "application/octet-stream";
  private final S3Client s3;
  private final S3Location at;

  S3Calls(S3Client s3, S3Location at) {
    this.s3 = s3;
    this.at = at;
  }

  /**
   * A client for {@code at} over the JDK's HttpURLConnection. Request checksums only where S3
   * requires them: several S3-compatible services reject the SDK's default aws-chunked trailers,
   * and each blob's SHA-256 is its name, which {@code depthdav check} verifies.
   */
  static S3Client client(S3Location at) {
    S3ClientBuilder b = S3Client.builder()
        .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(5))
            .socketTimeout(Duration.ofSeconds(60)).build())
        .region(Region.of(at.region()))
        .forcePathStyle(at.pathStyle())
        .requestChecksumCalculation(
            software.amazon.awssdk.core.checksums.RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(
            software.amazon.awssdk.core.checksums.ResponseChecksumValidation.WHEN_REQUIRED)
        .credentialsProvider(at.accessKey() != null
            ? StaticCredentialsProvider.create(
                AwsBasicCredentials.create(at.accessKey(), at.secretKey()))
            : DefaultCredentialsProvider.builder().build());
    if (at.endpoint() != null) {
      b.endpointOverride(at.endpoint());
    }
    return b.build();
  }

  /** The object's head, or null when there is no such object. */
  HeadObjectResponse head(String key) {
    return orMissing(() -> s3.headObject(r -> r.bucket(at.bucket()).key(key)));
  }

  /**
   * Gives an object a new LastModified by copying it onto itself with new metadata (S3 has no
   * touch); false when it is gone.
   */
  boolean touch(String key) {
    return orMissing(() -> s3.copyObject(r -> r.sourceBucket(at.bucket()).sourceKey(key)
        .destinationBucket(at.bucket()).destinationKey(key)
        .metadataDirective(MetadataDirective.REPLACE).contentType(OCTETS))) != null;
  }

  /** The bytes {@code offset} to {@code offset + length - 1} of an object; null when missing. */
  InputStream get(String key, long offset, long length) {
    if (length == 0) {
      return head(key) == null ? null : InputStream.nullInputStream();
    }
    String range = "bytes=" + offset + "-" + (offset + length - 1);
    return orMissing(() -> s3.getObject(r -> r.bucket(at.bucket()).key(key).range(range)));
  }

  void delete(String key) {
    call(() -> s3.deleteObject(r -> r.bucket(at.bucket()).key(key)));
  }

  /** Every object under {@code prefix}, page after page. */
  List<S3Object> list(String prefix) {
    return call(() -> {
      List<S3Object> all = new ArrayList<>();
      s3.listObjectsV2Paginator(r -> r.bucket(at.bucket()).prefix(prefix)).contents()
          .forEach(all::add);
      return all;
    });
  }

  /** Sends a spooled body to {@code key}: in one request below one part, else in parts. */
  void upload(Spool body, String key) {
    if (body.length() < at.partSize()) {
      call(() -> s3.putObject(r -> r.bucket(at.bucket()).key(key).contentType(OCTETS),
          RequestBody.fromContentProvider(slice(body, 0, body.length()), body.length(), OCTETS)));
      return;
    }
    String id = call(() -> s3.createMultipartUpload(r -> r.bucket(at.bucket()).key(key)
        .contentType(OCTETS))).uploadId();
    try {
      List<CompletedPart> parts = new ArrayList<>();
      for (int n = 1; (n - 1) * at.partSize() < body.length(); n++) {
        long offset = (n - 1) * at.partSize();
        long length = Math.min(at.partSize(), body.length() - offset);
        int number = n;
        String etag = call(() -> s3.uploadPart(r -> r.bucket(at.bucket()).key(key).uploadId(id)
            .partNumber(number).contentLength(length),
            RequestBody.fromContentProvider(slice(body, offset, length), length, OCTETS))).eTag();
        parts.add(CompletedPart.builder().partNumber(n).eTag(etag).build());
      }
      call(() -> s3.completeMultipartUpload(r -> r.bucket(at.bucket()).key(key).uploadId(id)
          .multipartUpload(m -> m.parts(parts))));
    } catch (RuntimeException e) {
      try {
        s3.abortMultipartUpload(r -> r.bucket(at.bucket()).key(key).uploadId(id));
      } catch (RuntimeException again) {
        e.addSuppressed(again); // the bucket's lifecycle rule removes it (docs/DEPLOY.md)
      }
      throw e;
    }
  }

  /**
   * A part of the spool file as a request body, read from the file each time the SDK asks (a
   * retry asks again): never more than a buffer of it in memory.
   */
  private static ContentStreamProvider slice(Spool body, long offset, long length) {
    return new ContentStreamProvider() {
      private InputStream open;

      @Override
      public InputStream newStream() {
        try {
          if (open != null) {
            open.close();
          }
          open = BoundedInputStream.slice(body.file(), offset, length);
          return open;
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read the spool file " + body.file(), e);
        }
      }
    };
  }

  /** A call whose answer is null when the object does not exist (404). */
  private <T> T orMissing(Supplier<T> request) {
    try {
      return call(request);
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return null;
      }
      throw e;
    }
  }

  /** A call with its failures translated; a 404 passes as it is, for the caller to judge. */
  private <T> T call(Supplier<T> request) {
    try {
      return request.get();
    } catch (S3Exception e) {
      if (e.statusCode() == 404 && !"NoSuchBucket".equals(code(e))) {
        throw e;
      }
      String what = "S3 " + at + " answered " + e.statusCode() + " " + code(e) + ": "
          + (e.awsErrorDetails() != null ? e.awsErrorDetails().errorMessage() : e.getMessage());
      if (e.statusCode() >= 500) {
        throw new StoreException.Unavailable(what + "; nothing of this request was stored", e);
      }
      throw new StoreException(what, e);
    } catch (SdkClientException e) {
      throw new StoreException.Unavailable("S3 " + at + " cannot be reached: " + e.getMessage()
          + "; nothing of this request was stored", e);
    }
  }

  private static String code(S3Exception e) {
    return e.awsErrorDetails() != null ? e.awsErrorDetails().errorCode() : "";
  }

  @Override
  public void close() {
    s3.close();
  }
}
