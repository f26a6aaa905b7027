#!/usr/bin/env bash
# HTTP A/B on loopback: the demo with the filter (A) and without it (--no-timing, B), driven by wrk,
# alternating A B A B ... so drift hits both alike. Prints throughput and p99 of each run and the
# ratios of the medians. Usage: benchmarks/http-ab.sh [pairs] [seconds per run] [path]
set -euo pipefail
cd "$(dirname "$0")/.."

pairs=${1:-3}
seconds=${2:-15}
path=${3:-/api/users/42}

if ! command -v wrk >/dev/null 2>&1; then
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq wrk >/dev/null
fi
jar=examples/target/request-timing-demo.jar
[ -f "$jar" ] || mvn -B -q -ntp package -DskipTests -pl examples -am

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

run_one() { # $1 = label, $2.. = demo flags; prints "label rps p99_ms"
  local label=$1; shift
  local port; port=$(free_port)
  java -Xms512m -Xmx512m -jar "$jar" --port "$port" --report-interval 0 "$@" >/dev/null 2>&1 &
  local pid=$!
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 0.1; done
  wrk -t2 -c32 -d5s "http://127.0.0.1:$port$path" >/dev/null 2>&1 # warm-up
  local result; result=$(wrk -t2 -c32 -d"${seconds}s" --latency "http://127.0.0.1:$port$path")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  local rps; rps=$(awk '/Requests\/sec/ {print $2}' <<<"$result")
  local p99; p99=$(awk '$1=="99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; print v}' <<<"$result")
  echo "$label $rps $p99"
}

results=()
for i in $(seq 1 "$pairs"); do
  results+=("$(run_one "A(timing)" )")
  results+=("$(run_one "B(no-timing)" --no-timing)")
done

printf '| run | requests/s | p99 ms |\n|---|---:|---:|\n'
for r in "${results[@]}"; do read -r l rps p99 <<<"$r"; printf '| %s | %s | %s |\n' "$l" "$rps" "$p99"; done
printf '%s\n' "${results[@]}" | awk '
  { if ($1 ~ /^A/) { a_rps[++na]=$2; a_p99[na]=$3 } else { b_rps[++nb]=$2; b_p99[nb]=$3 } }
  function median(arr, n,   i, j, t, tmp) { for (i=1;i<=n;i++) tmp[i]=arr[i];
    for (i=1;i<=n;i++) for (j=i+1;j<=n;j++) if (tmp[j]<tmp[i]) { t=tmp[i]; tmp[i]=tmp[j]; tmp[j]=t }
    return (n%2) ? tmp[(n+1)/2] : (tmp[n/2]+tmp[n/2+1])/2 }
  END { printf "\nthroughput with timing / without: %.3f (median of %d pairs)\n", median(a_rps,na)/median(b_rps,nb), na;
        printf "p99 with timing / without: %.3f\n", median(a_p99,na)/median(b_p99,nb) }'
