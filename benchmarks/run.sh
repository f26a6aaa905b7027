#!/usr/bin/env bash
# Builds benchmarks/target/benchmarks.jar and runs the benchmarks side by side on this machine with
# JMH's GC profiler: the filters at 1 and at 2 threads (one filter shared by both threads, as in a
# server), then the watchdog and trace-id benchmarks; prints the Markdown tables kept in
# benchmarks/README.md. About 10 minutes on 2 cores. Extra arguments go to JMH, e.g.
# benchmarks/run.sh -f 1 for a quick look.
set -euo pipefail
cd "$(dirname "$0")/.."

mvn -B -q -ntp package -DskipTests -pl benchmarks -am
jar=benchmarks/target/benchmarks.jar
out=benchmarks/target/results
mkdir -p "$out"
settings=(-f 2 -wi 3 -w 2s -i 5 -r 2s -prof gc "$@")

java -jar "$jar" 'FilterOverheadBenchmark' -t 1 "${settings[@]}" -rf csv -rff "$out/overhead-1-thread.csv"
java -jar "$jar" 'FilterOverheadBenchmark' -t 2 "${settings[@]}" -rf csv -rff "$out/overhead-2-threads.csv"
java -jar "$jar" 'WatchdogScanBenchmark|StuckScanBenchmark|MdcKeysBenchmark|DownstreamCallBenchmark' "${settings[@]}" -rf csv -rff "$out/other.csv"

table() { java -cp "$jar" dev.requesttiming.benchmarks.MarkdownTable "$@"; }
echo
echo "## $(date -u +%F) on $(nproc) cores, $(java -version 2>&1 | head -1)"
echo
echo "### FilterOverheadBenchmark, 1 thread"
table "$out/overhead-1-thread.csv"
echo "### FilterOverheadBenchmark, 2 threads sharing the filters"
table "$out/overhead-2-threads.csv"
echo "### Watchdog scans and trace ids"
table "$out/other.csv"
