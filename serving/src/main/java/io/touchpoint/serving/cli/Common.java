package io.touchpoint.serving.cli;

import io.touchpoint.serving.ServingConfig;
import io.touchpoint.serving.ServingException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** What the serving commands share: --config, the engines, dates, and failures as messages. */
final class Common {
  private Common() {}

  enum Engine {
    clickhouse,
    druid,
    both
  }

  /** --config FILE: a HOCON file over serving.conf. */
  static final class ConfigOption {
    @Option(
        names = "--config",
        paramLabel = "FILE",
        description =
            "HOCON file layered over the built-in serving.conf (default: $TOUCHPOINT_SERVING_CONF).")
    Path config;

    ServingConfig load() {
      return ServingConfig.load(config);
    }
  }

  static final class DateConverter implements ITypeConverter<LocalDate> {
    @Override
    public LocalDate convert(String value) {
      if ("today".equalsIgnoreCase(value)) {
        return LocalDate.now(java.time.ZoneOffset.UTC);
      }
      try {
        return LocalDate.parse(value);
      } catch (RuntimeException e) {
        throw new TypeConversionException("not a date (YYYY-MM-DD or 'today'): " + value);
      }
    }
  }

  /**
   * Runs a command body; an operator-facing failure becomes a message and exit code 1, not a trace.
   */
  static int guarded(PrintStream err, Callable<Integer> body) {
    try {
      return body.call();
    } catch (ServingException e) {
      err.println("error: " + e.getMessage());
      if (System.getenv("TOUCHPOINT_DEBUG") != null) {
        e.printStackTrace(err);
      }
      return 1;
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
