package io.touchpoint.batch.erase;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.touchpoint.batch.BatchConfig;
import io.touchpoint.batch.BatchSession;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The erasure's spark-submit main (the EMR step of the {@code touchpoint_erasure} DAG): the lake
 * half of {@code ./touchpoint erase} ({@link ErasureRun}) under spark-submit, which sets master and
 * cluster settings; s3a comes from batch.conf / the environment (the cluster's role on EMR). With
 * {@code --report} it writes what it did — request id, rows per table, the recomputed days, never
 * the device id — as JSON to that URI, for the DAG to reload serving for those days.
 *
 * <pre>
 * spark-submit --class io.touchpoint.batch.erase.EraseJob batch-*-spark-submit.jar \
 *   --app A --device D [--lake s3a://bucket] [--rules URI] [--vacuum-retain-hours H] [--report URI]
 * </pre>
 */
@Command(
    name = "erase-job",
    mixinStandardHelpOptions = true,
    description =
        "Erase one device of one app from the lake and recompute the days it touched (spark-submit).",
    sortOptions = false)
public final class EraseJob implements Callable<Integer> {

  @CommandLine.Mixin ErasureRequest request;

  @Option(
      names = "--report",
      paramLabel = "URI",
      description = "Write the request's report (JSON, no device id) to this file.")
  String report;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    int code = new CommandLine(new EraseJob()).execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  @Override
  public Integer call() {
    BatchConfig config = request.config(spec.commandLine());
    PrintStream out = System.out;
    SparkSession spark = BatchSession.create(config, null, config.s3a());
    try {
      ErasureRun.run(
          spark,
          config,
          request,
          out,
          r -> {
            if (report != null) {
              writeReport(spark, r);
              out.println("erase: report written to " + report);
            }
            return true;
          });
    } finally {
      spark.stop();
    }
    return 0;
  }

  private void writeReport(SparkSession spark, DeviceErasure.Report r) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("request_id", r.requestId());
    json.put("rows_by_table", r.rowsByTable());
    json.put("days", r.days().stream().map(Object::toString).toList());
    json.put("resumed_requests", r.resumed());
    Path path = new Path(report);
    try (FileSystem fs =
            FileSystem.newInstance(URI.create(report), spark.sparkContext().hadoopConfiguration());
        OutputStream os = fs.create(path, true)) {
      os.write(new ObjectMapper().writeValueAsBytes(json));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the erasure report to " + report, e);
    }
  }
}
