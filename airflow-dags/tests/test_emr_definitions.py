"""The emr/ definitions, rendered as the DAG renders them, are valid requests for the EMR API
(botocore's parameter validation against the service model) and say what the design requires."""

from __future__ import annotations

import json

import pytest
from botocore.session import get_session
from botocore.validate import ParamValidator

from touchpoint_dags import emr_definitions
from touchpoint_dags.settings import EmrSettings
from touchpoint_dags.sizing import size_for

SETTINGS = EmrSettings.from_dict({
    "release_uri": "s3://touchpoint-artifacts/releases/0.1.0", "log_uri": "s3://touchpoint-logs/emr/",
    "lake_root": "s3a://touchpoint-lake", "rules_uri": "s3a://touchpoint-conf/attribution.conf",
    "subnet_ids": ["subnet-0aaa", "subnet-0bbb", "subnet-0ccc"], "service_role": "touchpoint-emr-service",
    "job_flow_role": "touchpoint-emr-ec2", "environment": "test"})
VALUES = SETTINGS.values("2026-03-01", "2026-03-01", "scheduled__2026-03-01T00:00:00+00:00")
RULE = emr_definitions.load("sizing.json")


def operation(name):
    return get_session().get_service_model("emr").operation_model(name).input_shape


def assert_valid(request, operation_name):
    report = ParamValidator().validate(request, operation(operation_name))
    assert not report.has_errors(), report.generate_report()


def all_strings(node):
    if isinstance(node, dict):
        for v in node.values():
            yield from all_strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from all_strings(v)
    elif isinstance(node, str):
        yield node


@pytest.mark.parametrize("input_gib", [0, 3, 40, 5000])
def test_batch_cluster_is_a_valid_run_job_flow_request(input_gib):
    request = emr_definitions.batch_cluster_request(VALUES, size_for(input_gib * 2**30, RULE))
    assert_valid(request, "RunJobFlow")
    assert not [s for s in all_strings(request) if "${" in s]


def test_batch_cluster_fleets_spot_and_scaling():
    size = size_for(100 * 2**30, RULE)
    request = emr_definitions.batch_cluster_request(VALUES, size)
    assert request["ReleaseLabel"] == "emr-spark-8.0.0"
    fleets = {f["InstanceFleetType"]: f for f in request["Instances"]["InstanceFleets"]}
    assert fleets["MASTER"]["TargetOnDemandCapacity"] == 1 and "TargetSpotCapacity" not in fleets["MASTER"]
    assert fleets["CORE"]["TargetOnDemandCapacity"] > 0 and fleets["CORE"]["TargetSpotCapacity"] > 0
    task = fleets["TASK"]
    assert task["TargetOnDemandCapacity"] == 0 and task["TargetSpotCapacity"] == size.task_spot_units == 104
    assert len({c["InstanceType"] for c in task["InstanceTypeConfigs"]}) >= 5
    for fleet in (fleets["CORE"], task):
        spot = fleet["LaunchSpecifications"]["SpotSpecification"]
        assert spot["AllocationStrategy"] == "capacity-optimized"
        assert spot["TimeoutAction"] == "SWITCH_TO_ON_DEMAND" and spot["TimeoutDurationMinutes"] > 0
    limits = request["ManagedScalingPolicy"]["ComputeLimits"]
    assert limits["UnitType"] == "InstanceFleetUnits"
    assert limits["MinimumCapacityUnits"] == size.min_units < limits["MaximumCapacityUnits"] == size.max_units
    assert limits["MaximumOnDemandCapacityUnits"] == fleets["CORE"]["TargetOnDemandCapacity"]
    assert request["Instances"]["Ec2SubnetIds"] == SETTINGS.subnet_ids
    assert request["LogUri"] == SETTINGS.log_uri
    tags = {t["Key"]: t["Value"] for t in request["Tags"]}
    assert tags["day"] == "2026-03-01" and tags["environment"] == "test" and tags["project"] == "touchpoint"
    assert request["BootstrapActions"][0]["ScriptBootstrapAction"]["Path"].startswith(SETTINGS.release_uri)


def test_batch_cluster_spark_settings_for_spot_loss_committers_delta_and_allocation():
    request = emr_definitions.batch_cluster_request(VALUES, size_for(0, RULE))
    conf = {c["Classification"]: c["Properties"] for c in request["Configurations"]}
    spark = conf["spark-defaults"]
    for key in ("spark.decommission.enabled", "spark.storage.decommission.enabled",
                "spark.storage.decommission.shuffleBlocks.enabled", "spark.storage.decommission.rddBlocks.enabled",
                "spark.dynamicAllocation.enabled", "spark.hadoop.fs.s3a.committer.magic.enabled"):
        assert spark[key] == "true", key
    assert spark["spark.hadoop.fs.s3a.committer.name"] == "magic"
    assert spark["spark.sql.extensions"] == "io.delta.sql.DeltaSparkSessionExtension"
    assert spark["spark.storage.decommission.fallbackStorage.path"].startswith("s3a://touchpoint-lake/")
    assert conf["delta-defaults"]["delta.enabled"] == "true"
    # the drivers (YARN application masters) stay on on-demand nodes: a spot reclaim never kills one
    assert conf["yarn-site"]["yarn.node-labels.am.default-node-label-expression"] == "ON_DEMAND"


@pytest.mark.parametrize("step", emr_definitions.BATCH_STEPS)
def test_every_step_template_is_a_valid_add_job_flow_steps_request(step):
    rendered = emr_definitions.batch_step(step, VALUES)
    assert_valid({"JobFlowId": "j-TOUCHPOINT", "Steps": [rendered]}, "AddJobFlowSteps")
    args = rendered["HadoopJarStep"]["Args"]
    assert rendered["HadoopJarStep"]["Jar"] == "command-runner.jar" and args[0] == "spark-submit"
    assert args[args.index("--class") + 1] == "io.touchpoint.batch.BatchJob"
    assert args[args.index("--steps") + 1] == step
    assert args[args.index("--date") + 1] == "2026-03-01" and args[args.index("--through") + 1] == "2026-03-01"
    assert args[args.index("--lake") + 1] == "s3a://touchpoint-lake"
    # the Airflow task decides what a failure means (retry, terminate): EMR must not kill the cluster
    assert rendered["ActionOnFailure"] == "CONTINUE"
    assert not [s for s in all_strings(rendered) if "${" in s]


def test_speed_cluster_is_on_demand_and_restarts_its_step():
    values = {**VALUES, "release": "0.1.0", "checkpoint": "s3a://touchpoint-lake/_checkpoints/speed-layer",
              "kafka_bootstrap": "b-1.kafka:9092"}
    request = emr_definitions.speed_cluster_request(values)
    assert_valid(request, "RunJobFlow")
    fleets = request["Instances"]["InstanceFleets"]
    assert all("TargetSpotCapacity" not in f and "SpotSpecification" not in f.get("LaunchSpecifications", {})
               for f in fleets)
    assert request["Instances"]["TerminationProtected"] is True
    spark = {c["Classification"]: c["Properties"] for c in request["Configurations"]}["spark-defaults"]
    assert int(spark["spark.yarn.maxAppAttempts"]) > 1 and spark["spark.yarn.am.attemptFailuresValidityInterval"]
    args = request["Steps"][0]["HadoopJarStep"]["Args"]
    assert args[args.index("--class") + 1] == "io.touchpoint.streaming.StreamingJob"


def test_unknown_placeholder_is_an_error_not_an_empty_string():
    with pytest.raises(KeyError, match=r"\$\{lake_root\}"):
        emr_definitions.render({"a": "${lake_root}/x"}, {})


def test_sizing_rule_grows_with_input_and_is_clamped():
    sizes = [size_for(g * 2**30, RULE) for g in (0, 1, 16, 17, 100, 10_000)]
    units = [s.task_spot_units for s in sizes]
    assert units == sorted(units)
    assert units[0] == RULE["min_task_units"] and units[-1] == RULE["max_task_units"]
    assert size_for(17 * 2**30, RULE).task_spot_units == 24  # 17 units rounded up to whole 8-vCPU nodes
    assert all(s.max_units >= s.min_units for s in sizes)
    with pytest.raises(ValueError):
        size_for(-1, RULE)


def test_definitions_are_plain_json():
    for path in sorted(emr_definitions.emr_dir().rglob("*.json")):
        json.loads(path.read_text())


def test_the_validation_rejects_a_misspelled_field():
    request = emr_definitions.batch_cluster_request(VALUES, size_for(0, RULE))
    request["Instances"]["InstanceFleets"][2]["TargetSpotCapacty"] = 8
    report = ParamValidator().validate(request, operation("RunJobFlow"))
    assert report.has_errors() and "TargetSpotCapacty" in report.generate_report()


def test_erase_step_is_a_valid_add_job_flow_steps_entry():
    values = {**VALUES, "app": "com.example.app", "device": "dev-1", "request": "manual__2026-03-01T00_00_00_00_00",
              "report_uri": "s3a://touchpoint-lake/_erasure/reports/r.json"}
    step = emr_definitions.erase_step(values)
    assert_valid({"JobFlowId": "j-1", "Steps": [step]}, "AddJobFlowSteps")
    args = step["HadoopJarStep"]["Args"]
    assert args[:3] == ["spark-submit", "--deploy-mode", "cluster"]
    assert args[args.index("--class") + 1] == "io.touchpoint.batch.erase.EraseJob"
    assert args[args.index("--report") + 1] == values["report_uri"]
    assert "dev-1" not in step["Name"]  # the id is not in the step's name (its args: README, 'Erasure')
    assert not [s for s in all_strings(step) if "${" in s]
