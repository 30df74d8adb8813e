"""Every batch step template's spark-submit command line, as EMR's command-runner would run it,
executed by a stock Spark 4.0.2 distribution (the pyspark wheel's bin/spark-submit) with the shaded
batch jar and the jars EMR provides (Delta 4.0.0, hadoop-aws + AWS SDK, Spark's hadoop-cloud
committers) against the embedded stack's lake: the cluster's commands are proven, not only its JSON.

What differs from EMR, and only this: ``--deploy-mode cluster`` (YARN) becomes ``--master local[2]``;
the YARN-only settings of the spark-defaults classification are left out (external shuffle service,
dynamic allocation, YARN attempts) and the driver gets 2 GB instead of 8; the s3a endpoint and keys
of the embedded S3 API are added to spark-defaults.conf, as EMR's instance role and default endpoint
provide them on a cluster. The arguments after the jar are the template's, untouched.
"""

from __future__ import annotations

import glob
import io
import os
import shutil
import subprocess
import time
from pathlib import Path

import boto3
import pyspark
import pytest

from conftest import REPO
from test_nightly_local import truth_counts
from touchpoint_dags import emr_definitions
from touchpoint_dags.settings import EmrSettings
from touchpoint_dags.sizing import size_for

YARN_ONLY = ("spark.shuffle.service.enabled", "spark.dynamicAllocation.", "spark.yarn.", "spark.driver.memory",
             "spark.executor.")
RUNTIME_POM = Path(__file__).parent / "emr-runtime" / "pom.xml"


@pytest.fixture(scope="session")
def emr_runtime_jars() -> list[str]:
    target = Path(__file__).parent / "emr-runtime" / "target" / "jars"
    if len(list(target.glob("*.jar"))) < 5:
        subprocess.run([str(REPO / "mvnw"), "-q", "-B", "-f", str(RUNTIME_POM), "dependency:copy-dependencies",
                        f"-DoutputDirectory={target}"], check=True, cwd=REPO)
    jars = sorted(str(p) for p in target.glob("*.jar"))
    assert len(jars) == 5, jars
    return jars


def spark_defaults(cluster: dict, jars: list[str], s3: dict) -> str:
    props = next(c["Properties"] for c in cluster["Configurations"] if c["Classification"] == "spark-defaults")
    kept = {k: v for k, v in props.items() if not k.startswith(YARN_ONLY)}
    kept.update({
        "spark.jars": ",".join(jars),
        "spark.driver.memory": "2g",
        "spark.ui.enabled": "false",
        "spark.hadoop.fs.s3a.endpoint": s3["endpoint"],
        "spark.hadoop.fs.s3a.endpoint.region": s3.get("region", "us-east-1"),
        "spark.hadoop.fs.s3a.access.key": s3["access_key"],
        "spark.hadoop.fs.s3a.secret.key": s3["secret_key"],
        "spark.hadoop.fs.s3a.path.style.access": "true",
        "spark.hadoop.fs.s3a.connection.ssl.enabled": "false",
        "spark.hadoop.fs.s3a.change.detection.mode": "none",
        "spark.hadoop.fs.s3a.aws.credentials.provider": "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider",
    })
    return "".join(f"{k} {v}\n" for k, v in sorted(kept.items()))


def export_installs(s3client, bucket: str, day: str) -> dict:
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    totals = {m: 0 for m in ("installs", "organic_installs", "re_attributions", "rejected")}
    listing = s3client.list_objects_v2(Bucket=bucket, Prefix=f"export/gold/daily_installs/date={day}/")
    keys = [o["Key"] for o in listing.get("Contents", []) if o["Key"].endswith(".parquet")]
    assert keys, f"no daily_installs export for {day}"
    for key in keys:
        table = pq.read_table(io.BytesIO(s3client.get_object(Bucket=bucket, Key=key)["Body"].read()))
        for m in totals:
            totals[m] += int(pc.sum(table.column(m)).as_py() or 0) if table.num_rows else 0
    return totals


def test_every_step_template_runs_on_a_stock_spark(nightly_day, emr_runtime_jars, tmp_path):
    day = nightly_day["day"].isoformat()
    s3 = nightly_day["stack"].s3
    client = boto3.client("s3", endpoint_url=s3["endpoint"], region_name=s3.get("region", "us-east-1"),
                          aws_access_key_id=s3["access_key"], aws_secret_access_key=s3["secret_key"])
    # what the release bucket and the bootstrap action put on every node
    release = tmp_path / "opt-touchpoint"
    release.mkdir()
    shaded = glob.glob(str(REPO / "batch" / "target" / "batch-*-spark-submit.jar"))
    assert shaded, "build the batch module first (./mvnw package)"
    shutil.copy(shaded[0], release / "batch-spark-submit.jar")
    client.put_object(Bucket=s3["bucket"], Key="conf/attribution-overlay.conf",
                      Body=Path(nightly_day["rules"]).read_bytes())
    settings = EmrSettings.from_dict({
        "release_uri": "s3://unused/releases/test", "release_dir": str(release), "log_uri": "s3://unused/logs/",
        "lake_root": f"s3a://{s3['bucket']}", "rules_uri": f"s3a://{s3['bucket']}/conf/attribution-overlay.conf",
        "subnet_ids": ["subnet-0"], "service_role": "r", "job_flow_role": "r", "environment": "stock-spark"})
    values = settings.values(day, day, "stock-spark-test")
    cluster = emr_definitions.batch_cluster_request(values, size_for(0, emr_definitions.load("sizing.json")))
    conf_dir = tmp_path / "spark-conf"
    conf_dir.mkdir()
    (conf_dir / "spark-defaults.conf").write_text(spark_defaults(cluster, emr_runtime_jars, s3))
    spark_home = Path(pyspark.__file__).parent
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TOUCHPOINT_S3", "TOUCHPOINT_LAKE"))}
    env.update({"SPARK_HOME": str(spark_home), "SPARK_CONF_DIR": str(conf_dir)})

    for step in emr_definitions.BATCH_STEPS:
        args = emr_definitions.batch_step(step, values)["HadoopJarStep"]["Args"]
        assert args[0] == "spark-submit" and args[1:3] == ["--deploy-mode", "cluster"]
        command = [str(spark_home / "bin" / "spark-submit"), "--master", "local[2]", *args[3:]]
        started = time.monotonic()
        done = subprocess.run(command, env=env, capture_output=True, text=True)
        log = tmp_path / f"{step}.log"
        log.write_text(done.stdout + done.stderr)
        print(f"stock spark-submit {step}: exit {done.returncode} in {time.monotonic() - started:.1f} s ({log})")
        assert done.returncode == 0, f"{step} failed:\n{(done.stdout + done.stderr)[-4000:]}"

    # the commands computed the day's authoritative numbers: the export equals the ground truth
    expected = truth_counts(nightly_day["sim"], day)
    served = export_installs(client, s3["bucket"], day)
    assert served["installs"] > 0
    assert served == {k: expected[k] for k in served}
