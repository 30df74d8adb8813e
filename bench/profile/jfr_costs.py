#!/usr/bin/env python3
"""Inclusive CPU cost by component from a JFR recording's execution samples.

Usage: jfr_costs.py RECORDING.jfr [--threads REGEX] [--from HH:MM:SS] [--to HH:MM:SS] [--top N]

Runs `jfr print --events jdk.ExecutionSample --stack-depth 96`, then counts each sample once in
every component its stack touches (a sample in Jackson called by the validator counts in both),
and prints the share of samples per component, the largest first. The components are package or
class patterns of the speed layer's stack (see docs/streaming.md, "Performance").
"""
import re
import subprocess
import sys
from collections import Counter

COMPONENTS = [
    ("Kafka source (consumer, fetch, decode)", r"org\.apache\.spark\.sql\.kafka010\.(KafkaDataConsumer|consumer|KafkaMicroBatch|KafkaSourceRDD|KafkaBatchPartitionReader|KafkaOffsetReader)|org\.apache\.kafka\.clients\.consumer"),
    ("Kafka sink (producer send)", r"org\.apache\.spark\.sql\.kafka010\.KafkaRowWriter\.sendRow|org\.apache\.kafka\.clients\.producer"),
    ("EventValidator", r"io\.touchpoint\.model\.validation\."),
    ("Jackson (JSON parse/write)", r"com\.fasterxml\.jackson\."),
    ("Router (attribution query)", r"io\.touchpoint\.streaming\.pipeline\.Router\."),
    ("ingest query (IngestRouter, BatchWriter, LakeRows)", r"io\.touchpoint\.streaming\.pipeline\.IngestRouter|io\.touchpoint\.streaming\.sink\.(BatchWriter|LakeRows)"),
    ("speed-tables query (SpeedTablesWriter)", r"io\.touchpoint\.streaming\.sink\.SpeedTablesWriter"),
    ("MatchKeyProcessor", r"io\.touchpoint\.streaming\.pipeline\.MatchKeyProcessor"),
    ("DeviceProcessor", r"io\.touchpoint\.streaming\.pipeline\.DeviceProcessor"),
    ("AttributionEngine / EventCrediting", r"io\.touchpoint\.attribution\.(AttributionEngine|EventCrediting|TouchMatcher)"),
    ("transformWithState state API (TTL, encoders)", r"org\.apache\.spark\.sql\.execution\.streaming\.(state\.)?(StatefulProcessorHandleImpl|.*TTL|ListStateImpl|MapStateImpl|ValueStateImpl|.*WithTTL|StateTypesEncoder|CompositeKeyStateEncoder|TransformWithStateExec)"),
    ("RocksDB (JNI, state store)", r"org\.rocksdb\.|org\.apache\.spark\.sql\.execution\.streaming\.state\.RocksDB"),
    ("state store commit / changelog / checkpoint files", r"StateStoreChangelog|RocksDBFileManager|CheckpointFileManager|HDFSMetadataLog|OffsetSeqLog|CommitLog"),
    ("shuffle (write, read)", r"org\.apache\.spark\.shuffle\.|ShuffleExchange|BlockStoreShuffleReader|ShuffleBlockFetcherIterator|UnsafeShuffleWriter|BypassMergeSortShuffleWriter|SortShuffleWriter"),
    ("bean encoders / row conversion", r"GeneratedClass\$Specific(Unsafe|Safe)Projection|ExpressionEncoder|JavaTypeInference|DeserializerBuildHelper|codegen\.UnsafeRowWriter|JavaBeanEncoder|MapObjects|InitializeJavaBean"),
    ("sort before the stateful operators", r"UnsafeExternalSorter|UnsafeInMemorySorter|UnsafeExternalRowSorter|SortExec"),
    ("code generation (source, formatting, Janino)", r"org\.codehaus\.janino|org\.codehaus\.commons|CodeGenerator|codegen\.Generate|CodeFormatter"),
    ("Catalyst planning / analysis", r"org\.apache\.spark\.sql\.catalyst\.(analysis|optimizer|planning|rules|trees)|org\.apache\.spark\.sql\.execution\.(QueryExecution|SparkStrategies|SparkPlanner)"),
    ("Delta (log, snapshot, commit, MERGE, stats)", r"org\.apache\.spark\.sql\.delta\.|io\.delta\."),
    ("Parquet", r"org\.apache\.parquet\.|ParquetFileFormat|ParquetWriteSupport"),
    ("s3a / HTTP to S3Proxy", r"org\.apache\.hadoop\.fs\.s3a\.|software\.amazon\.awssdk|com\.amazonaws"),
    ("Kryo / Java serialization", r"com\.esotericsoftware\.kryo|java\.io\.ObjectOutputStream|java\.io\.ObjectInputStream|JavaSerializer"),
    ("compression (lz4, zstd, snappy)", r"net\.jpountz|com\.github\.luben|org\.xerial\.snappy|io\.airlift\.compress"),
    ("Spark driver: scheduler, RPC, progress", r"org\.apache\.spark\.scheduler\.(DAGScheduler|TaskSchedulerImpl|TaskSetManager)|org\.apache\.spark\.rpc\.|ProgressReporter"),
    ("floor queries (from_json, count)", r"JsonToStructs|org\.apache\.spark\.sql\.catalyst\.json\.|HashAggregateExec|StateStoreSaveExec|StateStoreRestoreExec"),
    ("load generator (bench producer, payload shift)", r"io\.touchpoint\.bench\.stream\.RecordProducer"),
    ("simulator", r"io\.touchpoint\.simulator\."),
]


def samples(path):
    out = subprocess.run(["jfr", "print", "--events", "jdk.ExecutionSample", "--stack-depth", "96", path],
                         check=True, capture_output=True, text=True).stdout
    for block in out.split("jdk.ExecutionSample")[1:]:
        thread = re.search(r'sampledThread = "([^"]*)"', block)
        start = re.search(r"startTime = (\d\d:\d\d:\d\d)", block)
        frames = re.findall(r"^\s+([\w$.<>/]+)\(", block, re.M)
        yield (thread.group(1) if thread else ""), (start.group(1) if start else ""), frames


def main():
    args = sys.argv[1:]
    if not args or args[0] in ("-h", "--help"):
        print(__doc__)
        return 0
    path = args[0]
    threads = re.compile(args[args.index("--threads") + 1]) if "--threads" in args else None
    top = int(args[args.index("--top") + 1]) if "--top" in args else len(COMPONENTS)
    since = args[args.index("--from") + 1] if "--from" in args else "00:00:00"
    until = args[args.index("--to") + 1] if "--to" in args else "99:99:99"
    compiled = [(name, re.compile(p)) for name, p in COMPONENTS if p != r"^$"]
    counts = Counter()
    total = 0
    leaf = Counter()
    for thread, start, frames in samples(path):
        if threads and not threads.search(thread):
            continue
        if start and not since <= start <= until:
            continue
        total += 1
        if frames:
            leaf[frames[0].rsplit(".", 1)[0]] += 1
        for name, rx in compiled:
            if any(rx.search(f) for f in frames):
                counts[name] += 1
    print(f"{total} execution samples from {since} to {until}" + (f" (threads ~ {threads.pattern})" if threads else ""))
    for name, n in counts.most_common(top):
        print(f"{100.0 * n / max(1, total):5.1f} %  {name}")
    print("top leaf classes (self time):")
    for name, n in leaf.most_common(12):
        print(f"{100.0 * n / max(1, total):5.1f} %  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
