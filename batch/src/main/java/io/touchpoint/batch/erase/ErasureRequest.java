package io.touchpoint.batch.erase;

import io.touchpoint.batch.BatchConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The options of one erasure request, shared by {@code ./touchpoint erase} and its spark-submit
 * main ({@link EraseJob}) as a picocli mixin: which device of which app, the lake and rules the
 * batch uses, and an optional immediate VACUUM.
 */
public final class ErasureRequest {

  @Option(
      names = "--app",
      required = true,
      paramLabel = "APP_ID",
      description = "The app the request is for.")
  String app;

  @Option(
      names = "--device",
      required = true,
      paramLabel = "ID",
      description = "The device's advertising id or vendor id.")
  String device;

  @Option(
      names = "--lake",
      paramLabel = "ROOT",
      description = "Lake root (default: the batch layer's, batch.conf).")
  String lake;

  @Option(
      names = "--rules",
      paramLabel = "URI",
      description = "Attribution rules overlay the batch used (HOCON).")
  String rules;

  @Option(
      names = "--vacuum-retain-hours",
      paramLabel = "H",
      description =
          "VACUUM every erased table keeping only H hours of history (0 = the files go now).")
  Double vacuumRetainHours;

  /** A request made in code (tests): the same fields the options set. */
  public static ErasureRequest of(
      String app, String device, String lake, String rules, Double vacuumRetainHours) {
    ErasureRequest r = new ErasureRequest();
    r.app = app;
    r.device = device;
    r.lake = lake;
    r.rules = rules;
    r.vacuumRetainHours = vacuumRetainHours;
    return r;
  }

  public String app() {
    return app;
  }

  public String device() {
    return device;
  }

  public Double vacuumRetainHours() {
    return vacuumRetainHours;
  }

  /** The batch configuration with --lake / --rules laid over it; bad values are usage errors. */
  public BatchConfig config(CommandLine commandLine) {
    if (vacuumRetainHours != null && vacuumRetainHours < 0) {
      throw new CommandLine.ParameterException(commandLine, "--vacuum-retain-hours must be >= 0");
    }
    Map<String, String> overrides = new LinkedHashMap<>();
    if (lake != null) {
      overrides.put("lake", lake);
    }
    if (rules != null) {
      overrides.put("rules-file", rules);
    }
    return BatchConfig.load(overrides);
  }
}
