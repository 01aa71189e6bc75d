#!/usr/bin/env bash
# Start-up benchmark: a node with its embedded Cassandra, as ./run starts it.
# Prints, per run: Cassandra start to CQL, node start to /health/ready, stop time, and the
# resident memory (VmRSS) of the node and of Cassandra after an idle period.
#   cold = empty data directory (Cassandra's first start, schema created)
#   warm = the same data directory again (what a second ./run does)
# Usage: load-tests/startup-bench.sh [runs=3] [idle-seconds=30]
# Needs a built distribution (./run builds one; or: mvn -DskipTests package). Loopback only; it
# uses its own ports, so a running ./run is not disturbed (but shares the CPU: stop it first).
set -euo pipefail
runs=${1:-3}
idle=${2:-30}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
node_bin=$root/cluster-node/target/parley-node/parley-node/bin/parley-node
[[ -x "$node_bin" ]] || { echo "no distribution at $node_bin: run mvn -DskipTests package" >&2; exit 1; }
command -v curl >/dev/null || { echo "curl is needed" >&2; exit 1; }

work=$(mktemp -d /tmp/parley-startup.XXXXXX)
trap 'pkill -TERM -f "PARLEY_BENCH_MARK" 2>/dev/null || true; rm -rf "$work"' EXIT
export PARLEY_HTTP_PORT=18080 PARLEY_CASSANDRA_PORT=19042 PARLEY_CASSANDRA_STORAGE_PORT=17000 \
  PARLEY_CLUSTER_PORT=25620 PARLEY_MANAGEMENT_PORT=18558

now_ms() { date +%s%3N; }
rss_mb() { awk '/VmRSS/ {printf "%d", $2/1024}' "/proc/$1/status" 2>/dev/null || echo "?"; }

# one run: start on $1, wait ready, idle, measure RSS, stop; prints a result row
run_once() {
  local kind=$1 data=$2 log=$2/node.log
  local t0 node cas ready_ms cql_ms node_rss cas_rss t1 stop_ms
  t0=$(now_ms)
  PARLEY_DATA_DIR=$data PARLEY_JAVA_OPTS="-Xms256m -Xmx1g -DPARLEY_BENCH_MARK=1" "$node_bin" > "$log" 2>&1 &
  node=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$PARLEY_HTTP_PORT/health/ready"; do
    kill -0 "$node" 2>/dev/null || { echo "node exited:"; tail -20 "$log"; exit 1; }
    sleep 0.1
  done
  ready_ms=$(( $(now_ms) - t0 ))
  cql_ms=$(grep -o 'accepts CQL after [0-9]*' "$log" | awk '{print $4}' | tail -1)
  cas=$(awk -F= '/^pid=/ {print $2}' "$data/cassandra/server.properties")
  sleep "$idle"
  node_rss=$(rss_mb "$node")
  cas_rss=$(rss_mb "$cas")
  t1=$(now_ms)
  kill -TERM "$node"
  while kill -0 "$node" 2>/dev/null || kill -0 "$cas" 2>/dev/null; do sleep 0.1; done
  stop_ms=$(( $(now_ms) - t1 ))
  printf "%-5s %12s %14s %10s %14s %14s\n" "$kind" "${cql_ms:-?}" "$ready_ms" "$stop_ms" "$node_rss" "$cas_rss"
}

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(java -version 2>&1 | head -1)"
echo "idle before RSS: ${idle}s; Cassandra heap: ${PARLEY_CASSANDRA_HEAP:-512m}"
printf "%-5s %12s %14s %10s %14s %14s\n" kind "cql_ms" "ready_ms" "stop_ms" "node_rss_mb" "cass_rss_mb"
for i in $(seq 1 "$runs"); do
  data=$work/run-$i
  mkdir -p "$data"
  run_once cold "$data"
  run_once warm "$data"
done
