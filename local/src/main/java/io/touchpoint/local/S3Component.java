package io.touchpoint.local;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The S3 API: S3Proxy over a folder of the data directory, with the lake bucket. */
final class S3Component implements Component {

  private final StackConfig config;
  private final Downloads downloads;
  private final Console console;
  private final ManagedProcess process;
  private final S3Admin admin;

  S3Component(StackConfig config, Downloads downloads, Console console) {
    this.config = config;
    this.downloads = downloads;
    this.console = console;
    this.admin = new S3Admin(config.s3Endpoint(), config.s3AccessKey, config.s3SecretKey);
    Path conf = config.confDir().resolve("s3proxy/s3proxy.conf");
    this.process =
        new ManagedProcess(
            config,
            "s3",
            List.of(
                StackConfig.javaExecutable(),
                "-Xms64m",
                "-Xmx" + config.s3Heap,
                "-XX:+UseSerialGC",
                "-XX:+ExitOnOutOfMemoryError",
                "-jar",
                lib().resolve("s3proxy-4.1.0-jar-with-dependencies.jar").toString(),
                "--properties",
                conf.toString()),
            config.dataDir.resolve("s3"),
            Map.of(),
            Map.of("s3", config.s3Port),
            admin::answers);
  }

  @Override
  public Service service() {
    return Service.S3;
  }

  private Path lib() {
    return config.libDir().resolve("s3proxy");
  }

  @Override
  public void prepare() {
    downloads.mavenJars(
        "s3", config.repoRoot.resolve("local/engines/s3proxy/pom.xml"), null, lib());
    Downloads.write(
        config.confDir().resolve("s3proxy/s3proxy.conf"),
        String.join(
            "\n",
            "s3proxy.endpoint=" + config.s3Endpoint(),
            "s3proxy.authorization=aws-v2-or-v4",
            "s3proxy.identity=" + config.s3AccessKey,
            "s3proxy.credential=" + config.s3SecretKey,
            "jclouds.provider=filesystem",
            "jclouds.filesystem.basedir=" + config.dataDir.resolve("s3/buckets"),
            ""));
    Downloads.mkdirs(config.dataDir.resolve("s3/buckets"));
  }

  @Override
  public List<ManagedProcess> processes() {
    return List.of(process);
  }

  @Override
  public void afterStart() {
    if (!admin.bucketExists(config.s3Bucket)) {
      admin.createBucket(config.s3Bucket);
      console.step("s3", "created bucket " + config.s3Bucket);
    }
  }

  @Override
  public boolean ready() {
    return admin.bucketExists(config.s3Bucket);
  }

  @Override
  public String address() {
    return "endpoint "
        + config.s3Endpoint()
        + " (path-style, region "
        + config.s3Region
        + ")  bucket s3a://"
        + config.s3Bucket
        + "  key "
        + config.s3AccessKey;
  }
}
