package io.touchpoint.local;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The two bucket calls the stack itself needs (exists? create), signed with AWS signature version
 * 2, which S3Proxy accepts under {@code aws-v2-or-v4}. Clients use their own SDKs.
 */
public final class S3Admin {

  private static final DateTimeFormatter RFC_1123 =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US);
  private final String endpoint;
  private final String accessKey;
  private final String secretKey;

  public S3Admin(String endpoint, String accessKey, String secretKey) {
    this.endpoint = endpoint;
    this.accessKey = accessKey;
    this.secretKey = secretKey;
  }

  public boolean bucketExists(String bucket) {
    return call("HEAD", bucket).status() == 200;
  }

  /** Creates the bucket; an existing one owned by us is fine. */
  public void createBucket(String bucket) {
    Http.Response r = call("PUT", bucket);
    if (!r.ok() && !r.body().contains("BucketAlreadyOwnedByYou")) {
      throw new StackException(
          "s3: cannot create bucket " + bucket + ": HTTP " + r.status() + " " + r.body(),
          "check the S3Proxy log");
    }
  }

  /** True when the endpoint answers an authenticated request (list buckets). */
  public boolean answers() {
    return call("GET", "").status() == 200;
  }

  private Http.Response call(String method, String bucket) {
    String date = ZonedDateTime.now(ZoneOffset.UTC).format(RFC_1123);
    String resource = "/" + bucket;
    String toSign = method + "\n\n\n\nx-amz-date:" + date + "\n" + resource;
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(endpoint + resource))
            .timeout(Duration.ofSeconds(10))
            .header("x-amz-date", date)
            .header("Authorization", "AWS " + accessKey + ":" + hmacSha1(toSign));
    b =
        switch (method) {
          case "PUT" -> b.PUT(HttpRequest.BodyPublishers.noBody());
          case "HEAD" -> b.method("HEAD", HttpRequest.BodyPublishers.noBody());
          default -> b.GET();
        };
    return Http.send(b.build());
  }

  private String hmacSha1(String s) {
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(secretKey.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
      return Base64.getEncoder().encodeToString(mac.doFinal(s.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
