package io.touchpoint.serving.cli;

import io.touchpoint.serving.Resources;
import io.touchpoint.serving.ServingConfig;
import io.touchpoint.serving.Template;
import io.touchpoint.serving.clickhouse.BatchLoader;
import io.touchpoint.serving.clickhouse.ClickHouseHttp;
import io.touchpoint.serving.clickhouse.ClusterDdl;
import io.touchpoint.serving.clickhouse.LocalDayFunction;
import io.touchpoint.serving.clickhouse.Migrations;
import io.touchpoint.serving.clickhouse.RealtimeFeed;
import io.touchpoint.serving.clickhouse.SqlScript;
import io.touchpoint.serving.druid.DruidClient;
import io.touchpoint.serving.druid.DruidLoader;
import java.io.PrintStream;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ./touchpoint serve}: the serving layer's operations: {@code migrate} (ClickHouse schema),
 * {@code load --date D} (the batch day into ClickHouse and/or Druid), {@code realtime} (the Kafka
 * feeds), {@code ddl} (print the single-server or cluster DDL).
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    header = "Serving layer: ClickHouse migrations, day loads, realtime feeds, DDL; Druid.",
    description = {
      "Serving layer: ClickHouse (batch tables, realtime tables, lambda views) and Druid (Kafka",
      "supervisors, batch re-index). Endpoints default to the embedded stack (serving.conf)."
    },
    subcommands = {
      ServeCommand.Migrate.class,
      ServeCommand.Load.class,
      ServeCommand.Realtime.class,
      ServeCommand.Ddl.class
    })
public final class ServeCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(), "choose a subcommand: migrate, load, realtime or ddl");
  }

  public static ClickHouseHttp clickhouse(ServingConfig c) {
    return new ClickHouseHttp(
        c.clickhouseUrl(), c.clickhouseUser(), c.clickhousePassword(), c.clickhouseTimeout());
  }

  @Command(
      name = "migrate",
      mixinStandardHelpOptions = true,
      header = "Apply the ClickHouse migrations not applied yet.",
      description = {
        "Applies the ClickHouse migrations not applied yet (serving/clickhouse/migrations),",
        "recording them in <database>.schema_migrations; re-running is a no-op."
      })
  static final class Migrate implements Callable<Integer> {
    @Mixin Common.ConfigOption config = new Common.ConfigOption();
    private final PrintStream out;
    private final PrintStream err;

    Migrate() {
      this(System.out, System.err);
    }

    Migrate(PrintStream out, PrintStream err) {
      this.out = out;
      this.err = err;
    }

    @Override
    public Integer call() {
      return Common.guarded(
          err,
          () -> {
            ServingConfig c = config.load();
            Migrations.Outcome o =
                new Migrations(
                        clickhouse(c), c.database(), c.cluster(), c.rulesFile(), out::println)
                    .run();
            out.printf(
                "migrate: %s at %s: %d applied, %d already applied%n",
                c.database(), c.clickhouseUrl(), o.applied().size(), o.skipped().size());
            return 0;
          });
    }
  }

  @Command(
      name = "load",
      mixinStandardHelpOptions = true,
      header = "Load one batch day into ClickHouse and/or Druid (reruns replace).",
      description = {
        "Loads one batch day (the gold Parquet export in the lake) into ClickHouse (REPLACE PARTITION",
        "from a staging table) and/or Druid (index_parallel replacing the day's interval). Reruns replace."
      })
  static final class Load implements Callable<Integer> {
    @Mixin Common.ConfigOption config = new Common.ConfigOption();

    @Option(
        names = "--date",
        required = true,
        paramLabel = "YYYY-MM-DD",
        converter = Common.DateConverter.class,
        description = "The UTC day the batch computed (the gold export's date=D folder).")
    LocalDate date;

    @Option(
        names = "--through",
        paramLabel = "YYYY-MM-DD",
        converter = Common.DateConverter.class,
        description = "Load every day from --date through this day, in order.")
    LocalDate through;

    @Option(
        names = "--engine",
        paramLabel = "ENGINE",
        defaultValue = "both",
        description = "clickhouse, druid or both (default: ${DEFAULT-VALUE}).")
    Common.Engine engine;

    @Spec CommandSpec spec;
    private final PrintStream out;
    private final PrintStream err;

    Load() {
      this(System.out, System.err);
    }

    Load(PrintStream out, PrintStream err) {
      this.out = out;
      this.err = err;
    }

    @Override
    public Integer call() {
      if (through != null && through.isBefore(date)) {
        throw new ParameterException(
            spec.commandLine(), "--through " + through + " is before --date " + date);
      }
      return Common.guarded(
          err,
          () -> {
            ServingConfig c = config.load();
            ClickHouseHttp ch = clickhouse(c);
            // ClickHouse reads the lake for both engines (Druid gets JSON lines written by it)
            new Migrations(ch, c.database(), c.cluster(), c.rulesFile(), out::println).run();
            LocalDate last = through == null ? date : through;
            for (LocalDate d = date; !d.isAfter(last); d = d.plusDays(1)) {
              if (engine != Common.Engine.druid) {
                BatchLoader.Report r = new BatchLoader(ch, c, out::println).load(d);
                out.printf(
                    "load: clickhouse %s: %,d rows in %.1f s%n", d, r.rows(), r.millis() / 1000.0);
              }
              if (engine != Common.Engine.clickhouse) {
                DruidLoader.Report r =
                    new DruidLoader(ch, new DruidClient(c.druidRouter()), c, out::println).load(d);
                out.printf(
                    "load: druid %s: %d datasources in %.1f s%n",
                    d, r.datasources().size(), r.millis() / 1000.0);
              }
            }
            return 0;
          });
    }
  }

  @Command(
      name = "realtime",
      mixinStandardHelpOptions = true,
      header = "Start the realtime feeds of ClickHouse and Druid.",
      description = {
        "Starts the realtime feeds: ClickHouse = consume attributions / attributed-events into the",
        "realtime tables until Ctrl-C (the embedded engine cannot run Kafka engine tables);",
        "Druid = submit (or update) the Kafka supervisors and return."
      })
  static final class Realtime implements Callable<Integer> {
    @Mixin Common.ConfigOption config = new Common.ConfigOption();

    @Option(
        names = "--engine",
        paramLabel = "ENGINE",
        defaultValue = "both",
        description = "clickhouse, druid or both (default: ${DEFAULT-VALUE}).")
    Common.Engine engine;

    private final PrintStream out = System.out;
    private final PrintStream err = System.err;

    @Override
    public Integer call() {
      return Common.guarded(
          err,
          () -> {
            ServingConfig c = config.load();
            if (engine != Common.Engine.clickhouse) {
              List<String> ids =
                  new DruidLoader(clickhouse(c), new DruidClient(c.druidRouter()), c, out::println)
                      .startSupervisors();
              out.println("realtime: Druid supervisors running: " + ids);
            }
            if (engine != Common.Engine.druid) {
              ClickHouseHttp ch = clickhouse(c);
              new Migrations(ch, c.database(), c.cluster(), c.rulesFile(), out::println).run();
              RealtimeFeed feed = new RealtimeFeed(ch, c, out::println);
              Runtime.getRuntime().addShutdownHook(new Thread(feed::close));
              feed.run();
              out.printf(
                  "realtime: stopped after %,d rows (%,d refused)%n",
                  feed.inserted(), feed.rejected());
            }
            return 0;
          });
    }
  }

  @Command(
      name = "ddl",
      mixinStandardHelpOptions = true,
      header = "Print the ClickHouse DDL, single server or cluster; nothing is executed.",
      description = {
        "Prints the ClickHouse DDL the migrations run (single server, or --cluster NAME:",
        "Replicated tables + Distributed tables, ON CLUSTER), optionally with the Kafka engine feed and",
        "the read-only analyst role. Nothing is executed."
      })
  static final class Ddl implements Callable<Integer> {
    @Mixin Common.ConfigOption config = new Common.ConfigOption();

    @Option(
        names = "--cluster",
        paramLabel = "NAME",
        description = "Cluster name (default: touchpoint.serving.clickhouse.cluster).")
    String cluster;

    @Option(
        names = "--kafka-engine",
        description = "Also the Kafka engine tables + materialized views (servers only).")
    boolean kafka;

    @Option(names = "--roles", description = "Also the read-only analyst role.")
    boolean roles;

    private final PrintStream out = System.out;
    private final PrintStream err = System.err;

    @Override
    public Integer call() {
      return Common.guarded(
          err,
          () -> {
            ServingConfig c = config.load();
            String cl = cluster != null ? cluster : c.cluster();
            for (String st : statements(c, cl, kafka, roles)) {
              out.println(st + ";\n");
            }
            return 0;
          });
    }
  }

  /** Every statement of the schema as it would run (used by `ddl` and by the parser check). */
  public static List<String> statements(
      ServingConfig c, String cluster, boolean kafka, boolean roles) {
    Migrations m = new Migrations(null, c.database(), cluster, c.rulesFile(), s -> {});
    List<String> out = new ArrayList<>(m.bootstrapStatements());
    out.add(LocalDayFunction.ddl(c.rulesFile(), cluster));
    for (Migrations.Migration mig : Migrations.available()) {
      out.addAll(m.statements(mig));
    }
    Map<String, String> v =
        Map.of(
            "db",
            c.database(),
            "kafka_brokers",
            c.kafkaBootstrap(),
            "attributions_topic",
            c.attributionsTopic(),
            "attributed_events_topic",
            c.attributedEventsTopic(),
            "consumer_group",
            c.consumerGroup());
    if (kafka) {
      String sql = Template.fill(Resources.text("clickhouse/kafka/kafka_feed.sql"), v);
      out.addAll(
          cluster == null || cluster.isBlank()
              ? SqlScript.split(sql)
              : ClusterDdl.transformScript(sql, cluster));
    }
    if (roles) {
      String sql = Template.fill(Resources.text("clickhouse/roles.sql"), v);
      out.addAll(
          cluster == null || cluster.isBlank()
              ? SqlScript.split(sql)
              : ClusterDdl.transformScript(sql, cluster));
    }
    return out;
  }
}
