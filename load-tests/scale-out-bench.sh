#!/usr/bin/env bash
# Scale-out benchmark: the concurrency ramp (ConcurrencyBench, loopback providers by default) against
# a local cluster of 1, then 2, then 3 nodes (./run --nodes N, one Cassandra), calls spread over the
# nodes in turn. Prints, per cluster size, the ramp's table; the last step whose p99 jitter stays
# <= 20 ms is the calls that cluster holds. All nodes, robots and providers share this machine, so
# what scale-out can be judged by here is the cluster's CPU per call-second (all nodes summed):
# calls that cost no more on 3 nodes than on 1 would scale with one machine per node.
# Usage: [BENCH_PROVIDERS=loopback|offline] load-tests/scale-out-bench.sh [--warm-up=SECONDS]
#        [nodes=1,2,3] [ramp=10,20,40,80] [seconds-per-step=30] [speak-every-seconds=10]
# --warm-up: ConcurrencyBench's unreported first step on each cluster (20 s by default).
# Needs: mvn -DskipTests package. Loopback only; its own ports and a temporary data directory.
set -euo pipefail
# shellcheck source=load-tests/bench-node.sh
. "$(dirname "${BASH_SOURCE[0]}")/bench-node.sh"

bench_parse_providers loopback "$@"
bench_split_options
command -v ss >/dev/null || bench_fail "ss (Debian package iproute2) is needed to find the nodes' processes"
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1)"
bench_start_providers

http_base=18100
cluster_pid=""
stop_cluster() {
  [[ -n $cluster_pid ]] || return 0
  kill -TERM "$cluster_pid" 2>/dev/null || true
  for _ in $(seq 1 600); do kill -0 "$cluster_pid" 2>/dev/null || break; sleep 0.1; done
  cluster_pid=""
}
trap 'stop_cluster; bench_stop' EXIT

IFS=, read -r -a sizes <<< "${bench_positional[0]:-1,2,3}"
for nodes in "${sizes[@]}"; do
  data=$bench_work/cluster-$nodes
  mkdir -p "$data"
  echo
  echo "== $nodes node(s): ./run --nodes $nodes (log $data/run.log)"
  PARLEY_DATA_DIR=$data PARLEY_HTTP_PORT=$http_base PARLEY_CLUSTER_PORT=25700 PARLEY_MANAGEMENT_PORT=18600 \
    PARLEY_CASSANDRA_PORT=19062 PARLEY_CASSANDRA_STORAGE_PORT=17020 \
    PARLEY_RATE_LIMIT_RPS=1000000 PARLEY_RATE_LIMIT_BURST=1000000 PARLEY_METRICS_INSTRUMENTATION=off \
    PARLEY_JAVA_OPTS="-Xms256m -Xmx1g" \
    "$bench_root/run" --nodes "$nodes" > "$data/run.log" 2>&1 &
  cluster_pid=$!
  deadline=$((SECONDS + ${BENCH_START_TIMEOUT:-600}))
  until grep -q 'Parley is ready' "$data/run.log"; do
    kill -0 "$cluster_pid" 2>/dev/null || { tail -30 "$data/run.log" >&2; bench_fail "the cluster exited"; }
    ((SECONDS < deadline)) || { tail -30 "$data/run.log" >&2; bench_fail "the cluster was not ready in time"; }
    sleep 1
  done
  urls="" pids=""
  for ((i = 0; i < nodes; i++)); do
    urls+="${urls:+,}http://127.0.0.1:$((http_base + i))"
    # the node's JVM is the process listening on its HTTP port
    pids+="${pids:+,}$(ss -ltnpH "sport = :$((http_base + i))" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)"
  done
  bench_run java -Xmx1g -cp "$bench_classpath" dev.parley.loadtest.bench.ConcurrencyBench \
    --providers="$bench_providers" --node-pid="$pids" "${bench_options[@]}" "$urls" "$data/dev-api-key" \
    "${bench_positional[1]:-10,20,40,80}" "${bench_positional[2]:-30}" "${bench_positional[3]:-10}" || true
  stop_cluster
done
