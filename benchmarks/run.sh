#!/usr/bin/env bash
# Builds benchmarks/target/benchmarks.jar and runs every benchmark side by side on this machine with
# JMH's GC profiler, then prints the Markdown tables kept in benchmarks/README.md. About 7 minutes on
# 2 cores. Extra arguments go to JMH, e.g. benchmarks/run.sh -f 1 for a quick look.
set -euo pipefail
cd "$(dirname "$0")/.."

mvn -B -q -ntp package -DskipTests -pl benchmarks -am
jar=benchmarks/target/benchmarks.jar
out=benchmarks/target/results
mkdir -p "$out"
settings=(-f 2 -wi 3 -w 2s -i 5 -r 2s -prof gc "$@")

java -jar "$jar" 'FilterOverheadBenchmark' "${settings[@]}" -rf csv -rff "$out/overhead.csv"
java -jar "$jar" 'WatchdogScanBenchmark|ContentionBenchmark' "${settings[@]}" -rf csv -rff "$out/other.csv"

echo
echo "## $(date -u +%F) on $(nproc) cores, $(java -version 2>&1 | head -1)"
echo
java -cp "$jar" dev.requesttiming.benchmarks.MarkdownTable "$out/overhead.csv" "$out/other.csv"
