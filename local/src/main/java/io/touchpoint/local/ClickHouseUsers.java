package io.touchpoint.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

/**
 * The users of the embedded ClickHouse HTTP interface besides {@code default}: the read-only {@code
 * analyst} (profile {@code readonly = 2}, as production's {@code touchpoint_analyst_profile} in
 * serving/clickhouse/roles.sql; what Superset and other BI tools connect as). Its password is
 * generated on the first start of a data directory and kept there ({@code
 * <data>/clickhouse/analyst.password}, owner-only), so no password is committed; the service gets
 * only its SHA-256 ({@code users.json}).
 */
final class ClickHouseUsers {

  static final String ANALYST = "analyst";

  private final Path dir;

  ClickHouseUsers(Path clickhouseDir) {
    this.dir = clickhouseDir;
  }

  Path usersFile() {
    return dir.resolve("users.json");
  }

  Path analystPasswordFile() {
    return dir.resolve("analyst.password");
  }

  /** Writes the password (once) and the users file. Idempotent. */
  void ensure() {
    try {
      Files.createDirectories(dir);
      Path pw = analystPasswordFile();
      if (!Files.isRegularFile(pw)) {
        byte[] raw = new byte[18];
        new SecureRandom().nextBytes(raw);
        Files.writeString(pw, Base64.getUrlEncoder().withoutPadding().encodeToString(raw));
        Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw-------"));
      }
      String hash =
          HexFormat.of()
              .formatHex(
                  MessageDigest.getInstance("SHA-256")
                      .digest(Files.readString(pw).strip().getBytes(StandardCharsets.UTF_8)));
      new ObjectMapper()
          .writeValue(
              usersFile().toFile(),
              Map.of(ANALYST, Map.of("password_sha256_hex", hash, "readonly", 2)));
    } catch (IOException | NoSuchAlgorithmException e) {
      throw new StackException(
          "cannot write the ClickHouse users under " + dir + ": " + e.getMessage(),
          "check that the data directory is writable");
    }
  }

  String analystPassword() {
    try {
      return Files.readString(analystPasswordFile()).strip();
    } catch (IOException e) {
      throw new StackException(
          "cannot read " + analystPasswordFile() + ": " + e.getMessage(),
          "start ClickHouse once with `./touchpoint up --only clickhouse`");
    }
  }
}
