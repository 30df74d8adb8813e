package io.touchpoint.local;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The ClickHouse engine (chDB 26.x from PyPI, the ClickHouse engine built as a library) behind a
 * loopback service that speaks the ClickHouse HTTP interface. The wheel carries no runnable server
 * (see local/README.md), so {@code local/python/touchpoint_stack/clickhouse_http.py} keeps
 * persistent chDB sessions on {@code <data>/clickhouse} and answers {@code POST /?query=}; users
 * besides {@code default}: {@link ClickHouseUsers}.
 */
final class ClickHouseComponent implements Component {

  private final StackConfig config;
  private final Downloads downloads;
  private final ManagedProcess process;
  private final ClickHouseUsers users;

  ClickHouseComponent(StackConfig config, Downloads downloads) {
    this.config = config;
    this.downloads = downloads;
    this.users = new ClickHouseUsers(config.dataDir.resolve("clickhouse"));
    this.process =
        new ManagedProcess(
            config,
            "clickhouse",
            List.of(
                config.venvBin("python").toString(),
                "-m",
                "touchpoint_stack.clickhouse_http",
                "--host",
                config.host,
                "--port",
                Integer.toString(config.clickhousePort),
                "--path",
                config.dataDir.resolve("clickhouse/data").toString(),
                "--max-memory-usage",
                config.clickhouseMaxMemoryUsage,
                "--users",
                users.usersFile().toString()),
            config.dataDir.resolve("clickhouse"),
            Map.of(
                "PYTHONPATH",
                config.repoRoot.resolve("local/python").toString(),
                "PYTHONUNBUFFERED",
                "1"),
            Map.of("http", config.clickhousePort),
            this::pings);
  }

  @Override
  public Service service() {
    return Service.CLICKHOUSE;
  }

  @Override
  public void prepare() {
    downloads.pip("clickhouse", requirements());
    users.ensure();
  }

  private Path requirements() {
    return config.repoRoot.resolve("local/python/requirements-clickhouse.txt");
  }

  private boolean pings() {
    Http.Response r = Http.get(config.clickhouseUrl() + "/ping");
    return r.ok() && r.body().startsWith("Ok.");
  }

  @Override
  public List<ManagedProcess> processes() {
    return List.of(process);
  }

  @Override
  public void afterStart() {
    // nothing: the default database exists; schemas are the serving layer's migrations
  }

  @Override
  public boolean ready() {
    Http.Response r = Http.post(config.clickhouseUrl() + "/", "text/plain", "SELECT 1");
    return r.ok() && r.body().trim().equals("1");
  }

  @Override
  public String address() {
    return "HTTP interface "
        + config.clickhouseUrl()
        + "/  (POST /?query=..., X-ClickHouse-Format)";
  }
}
