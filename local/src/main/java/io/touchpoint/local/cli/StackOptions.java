package io.touchpoint.local.cli;

import io.touchpoint.local.Service;
import io.touchpoint.local.StackConfig;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Set;

/** Options shared by up, down and status. */
public final class StackOptions {

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Data directory of the stack (default: .touchpoint under the repository root, or TOUCHPOINT_HOME).")
    Path dataDir;

    @Option(names = "--config", paramLabel = "FILE",
            description = "A HOCON file layered over stack.conf (default: TOUCHPOINT_STACK_CONF if set).")
    Path configFile;

    @Option(names = "--only", paramLabel = "SERVICE", split = ",",
            description = "Only these services: kafka, s3, clickhouse, druid, airflow (default: all).",
            converter = ServiceConverter.class)
    Set<Service> only;

    StackConfig config() {
        return StackConfig.load(configFile, dataDir);
    }

    Set<Service> services() {
        return only == null || only.isEmpty() ? java.util.EnumSet.allOf(Service.class) : java.util.EnumSet.copyOf(only);
    }

    /** picocli converter turning "kafka" into {@link Service#KAFKA} with a helpful error. */
    public static final class ServiceConverter implements picocli.CommandLine.ITypeConverter<Service> {
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
