# Sourced by the voice benchmarks (voice-bench.sh, concurrency-bench.sh): starts a node from the
# built distribution on a throw-away data directory and its own loopback ports, and stops it (and
# its Cassandra) by process id on exit. Sets: bench_base_url, bench_key_file, bench_classpath.
# Needs: mvn -DskipTests package (the node distribution and load-tests/target/classes).

bench_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bench_dist=$bench_root/cluster-node/target/parley-node/parley-node
bench_classes=$bench_root/load-tests/target/classes

bench_fail() { echo "$(basename "$0"): $*" >&2; exit 1; }

[[ -x $bench_dist/bin/parley-node ]] || bench_fail "no distribution at $bench_dist: run mvn -DskipTests package"
[[ -d $bench_classes/dev/parley/loadtest/bench ]] || bench_fail "no compiled benchmarks in $bench_classes: run mvn -DskipTests package"
command -v curl >/dev/null || bench_fail "curl is needed"
command -v flite >/dev/null || bench_fail "flite is needed for the caller's voice (Debian package flite)"

bench_work=$(mktemp -d /tmp/parley-voice-bench.XXXXXX)
bench_node_pid=""

bench_stop_node() {
  local cassandra=""
  [[ -f $bench_work/data/cassandra/server.properties ]] &&
    cassandra=$(awk -F= '/^pid=/ {print $2}' "$bench_work/data/cassandra/server.properties")
  if [[ -n $bench_node_pid ]] && kill -0 "$bench_node_pid" 2>/dev/null; then
    kill -TERM "$bench_node_pid"
  fi
  for _ in $(seq 1 300); do
    { [[ -n $bench_node_pid ]] && kill -0 "$bench_node_pid" 2>/dev/null; } ||
      { [[ -n $cassandra ]] && kill -0 "$cassandra" 2>/dev/null; } || break
    sleep 0.1
  done
  rm -rf "$bench_work"
}
trap bench_stop_node EXIT

# bench_start_node [extra JVM options]: starts the node and waits until it is ready
bench_start_node() {
  export PARLEY_HTTP_PORT=${BENCH_HTTP_PORT:-18090} PARLEY_CASSANDRA_PORT=19052 PARLEY_CASSANDRA_STORAGE_PORT=17010 \
    PARLEY_CLUSTER_PORT=25630 PARLEY_MANAGEMENT_PORT=18568
  export PARLEY_PUBLIC_URL=http://127.0.0.1:$PARLEY_HTTP_PORT
  # the per-key rate limit still runs but does not cut in: a ramp creates calls in bursts
  export PARLEY_RATE_LIMIT_RPS=1000000 PARLEY_RATE_LIMIT_BURST=1000000
  mkdir -p "$bench_work/data"
  PARLEY_DATA_DIR=$bench_work/data PARLEY_JAVA_OPTS="${1:--Xms256m -Xmx1g}" \
    "$bench_dist/bin/parley-node" > "$bench_work/node.log" 2>&1 &
  bench_node_pid=$!
  local deadline=$((SECONDS + ${BENCH_START_TIMEOUT:-300}))
  until curl -sf -o /dev/null "http://127.0.0.1:$PARLEY_HTTP_PORT/health/ready"; do
    kill -0 "$bench_node_pid" 2>/dev/null || { tail -20 "$bench_work/node.log" >&2; bench_fail "the node exited"; }
    ((SECONDS < deadline)) || { tail -20 "$bench_work/node.log" >&2; bench_fail "the node was not ready in time"; }
    sleep 0.2
  done
  bench_base_url=http://127.0.0.1:$PARLEY_HTTP_PORT
  bench_key_file=$bench_work/data/dev-api-key
  [[ -s $bench_key_file ]] || bench_fail "the node wrote no $bench_key_file"
  bench_classpath="$bench_classes:$bench_dist/lib/*"
  echo "node ready at $bench_base_url (log: $bench_work/node.log, removed on exit)"
}
