package io.touchpoint.serving.cli;

import io.touchpoint.serving.NamedQueries;
import io.touchpoint.serving.ServingConfig;
import io.touchpoint.serving.TablePrinter;
import io.touchpoint.serving.druid.DruidClient;
import java.io.PrintStream;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ./touchpoint query NAME [--date D]}: a named dashboard query, printed as a table. */
@Command(
    name = "query",
    mixinStandardHelpOptions = true,
    header = "Run a named dashboard query against ClickHouse or Druid.",
    description = {
      "Runs a named dashboard query against ClickHouse (the lambda views: batch days + realtime after",
      "the batch watermark) or Druid, and prints an aligned table. Names: installs_by_source,",
      "organic_vs_paid, retention_cohorts, revenue_ltv_by_cohort, fraud_by_source_site, today_so_far."
    })
public final class QueryCommand implements Callable<Integer> {
  @Mixin Common.ConfigOption config = new Common.ConfigOption();

  @Parameters(index = "0", paramLabel = "NAME", description = "The query (see above).")
  String name;

  @Option(
      names = "--date",
      paramLabel = "YYYY-MM-DD",
      converter = Common.DateConverter.class,
      description = "Last report day of the window (default: today, UTC).")
  LocalDate date;

  @Option(
      names = "--days",
      paramLabel = "N",
      defaultValue = "7",
      description =
          "Window length in days ending at --date (default: ${DEFAULT-VALUE}; today_so_far: 1 day).")
  int days;

  @Option(
      names = "--app",
      paramLabel = "APP_ID",
      defaultValue = "",
      description = "Only this app (default: all apps).")
  String app;

  @Option(
      names = "--engine",
      paramLabel = "ENGINE",
      defaultValue = "clickhouse",
      description = "clickhouse or druid (default: ${DEFAULT-VALUE}).")
  Common.Engine engine;

  @Option(names = "--sql", description = "Print the SQL instead of running it.")
  boolean printSql;

  @Spec CommandSpec spec;
  private final PrintStream out;
  private final PrintStream err;

  public QueryCommand() {
    this(System.out, System.err);
  }

  public QueryCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() {
    if (!NamedQueries.NAMES.contains(name)) {
      throw new ParameterException(
          spec.commandLine(),
          "unknown query '" + name + "'; known: " + String.join(", ", NamedQueries.NAMES));
    }
    if (engine == Common.Engine.both) {
      throw new ParameterException(spec.commandLine(), "--engine must be clickhouse or druid");
    }
    return Common.guarded(
        err,
        () -> {
          ServingConfig c = config.load();
          NamedQueries.Params p =
              new NamedQueries.Params(
                  date == null ? LocalDate.now(ZoneOffset.UTC) : date, days, app);
          if (printSql) {
            out.println(
                engine == Common.Engine.druid
                    ? NamedQueries.druidSql(name, c, p)
                    : NamedQueries.clickhouseSql(name, c.database()));
            return 0;
          }
          long t0 = System.nanoTime();
          NamedQueries.Table t =
              engine == Common.Engine.druid
                  ? NamedQueries.druid(new DruidClient(c.druidRouter()), c, name, p)
                  : NamedQueries.clickhouse(ServeCommand.clickhouse(c), c.database(), name, p);
          out.print(TablePrinter.render(t.columns(), t.rows()));
          out.printf("(%s, %s, %d ms)%n", name, engine, (System.nanoTime() - t0) / 1_000_000);
          return 0;
        });
  }
}
