package io.touchpoint.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.touchpoint.local.test.EmbeddedStack;
import io.touchpoint.local.test.StackHandle;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

@EmbeddedStack(services = Service.S3)
class S3ProxyTest {

  private static S3Client client(StackHandle stack) {
    return S3Client.builder()
        .endpointOverride(URI.create(stack.s3Endpoint()))
        .region(Region.of(stack.s3Region()))
        .forcePathStyle(true)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(stack.s3AccessKey(), stack.s3SecretKey())))
        .build();
  }

  @Test
  void anObjectWrittenToTheLakeBucketIsReadBackAndListed(StackHandle stack) {
    String prefix = stack.uniqueName("bronze") + "/";
    try (S3Client s3 = client(stack)) {
      s3.putObject(
          b -> b.bucket(stack.lakeBucket()).key(prefix + "part-0.json"),
          RequestBody.fromString("{\"event_id\":\"e1\"}\n"));
      String back =
          s3.getObjectAsBytes(b -> b.bucket(stack.lakeBucket()).key(prefix + "part-0.json"))
              .asString(StandardCharsets.UTF_8);
      ListObjectsV2Response list =
          s3.listObjectsV2(b -> b.bucket(stack.lakeBucket()).prefix(prefix));
      assertThat(back).isEqualTo("{\"event_id\":\"e1\"}\n");
      assertThat(list.contents()).extracting(S3Object::key).containsExactly(prefix + "part-0.json");
    }
  }

  @Test
  void aFreshBucketFromTheHandleIsEmptyAndUsable(StackHandle stack) {
    String bucket = stack.newBucket("t");
    try (S3Client s3 = client(stack)) {
      assertThat(s3.listObjectsV2(b -> b.bucket(bucket)).contents()).isEmpty();
      s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("v"));
      assertThat(s3.headObject(b -> b.bucket(bucket).key("k")).contentLength()).isEqualTo(1L);
    }
  }
}
