package io.touchpoint.local.cli;

import io.touchpoint.local.Service;
import io.touchpoint.local.StackConfig;
import java.nio.file.Path;
import java.util.Set;
import picocli.CommandLine.Option;

/** Options shared by up, down and status. */
public final class StackOptions {

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "Data directory of the stack (default: .touchpoint under the repository root, or TOUCHPOINT_HOME).")
  Path dataDir;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "A HOCON file layered over stack.conf (default: TOUCHPOINT_STACK_CONF if set).")
  Path configFile;

  @Option(
      names = "--only",
      paramLabel = "SERVICE",
      split = ",",
      description =
          "Only these services: kafka, s3, clickhouse, druid, airflow, superset (default: all).",
      converter = ServiceConverter.class)
  Set<Service> only;

  @Option(
      names = "--without",
      paramLabel = "SERVICE",
      split = ",",
      description = "Leave these services out, e.g. --without superset,druid.",
      converter = ServiceConverter.class)
  Set<Service> without;

  StackConfig config() {
    return StackConfig.load(configFile, dataDir);
  }

  Set<Service> services() {
    Set<Service> out =
        only == null || only.isEmpty()
            ? java.util.EnumSet.allOf(Service.class)
            : java.util.EnumSet.copyOf(only);
    if (without != null) {
      out.removeAll(without);
    }
    return out;
  }

  /** picocli converter turning "kafka" into {@link Service#KAFKA} with a helpful error. */
  public static final class ServiceConverter
      implements picocli.CommandLine.ITypeConverter<Service> {
    @Override
    public Service convert(String value) {
      try {
        return Service.parse(value);
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }
}
