#!/usr/bin/env bash
# Soak test (not part of CI): the demo in one JVM with 16 clients at full speed on loopback for
# 10 minutes (or $1 minutes). Prints heap after GC every 30 s (it must stay flat), the answers the
# clients got against the requests recorded (they must match), and whether every request past the
# budget was flagged.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=examples/target/request-timing-demo.jar
[ -f "$jar" ] || mvn -B -q -ntp package -DskipTests -pl examples -am
java -Xms256m -Xmx256m -cp "$jar" dev.requesttiming.examples.Soak "${1:-10}" "${2:-16}"
