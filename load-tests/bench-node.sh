# Sourced by the voice benchmarks (voice-bench.sh, concurrency-bench.sh): picks the providers mode,
# starts the loopback providers when asked, starts a node from the built distribution on a
# throw-away data directory and its own loopback ports, and stops them (and the node's Cassandra)
# by process id on exit. Sets: bench_providers, bench_args, bench_base_url, bench_key_file,
# bench_node_pid, bench_classpath.
# BENCH_NODE_OPTS: more JVM options for the node, after the heap size (settings to compare, say
# -Dpekko.actor.default-dispatcher.fork-join-executor.parallelism-max=2); printed with the command.
# BENCH_DIST: the node distribution to start (default: this tree's cluster-node build), to compare
# two builds with the same benchmark client.
# BENCH_NODE_CPUS: a comma list of CPU numbers (say 1): the node runs on those alone (taskset), and
# everything else of the benchmark (its Cassandra, the loopback providers, the robots) on the others,
# so the node's figures are those of the cores it was given, not of a share of all of them.
# Needs: mvn -DskipTests package (the node distribution and load-tests/target/classes).

bench_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bench_dist=${BENCH_DIST:-$bench_root/cluster-node/target/parley-node/parley-node}
bench_classes=$bench_root/load-tests/target/classes

bench_fail() { echo "$(basename "$0"): $*" >&2; exit 1; }

[[ -x $bench_dist/bin/parley-node ]] || bench_fail "no distribution at $bench_dist: run mvn -DskipTests package"
[[ -d $bench_classes/dev/parley/loadtest/bench ]] || bench_fail "no compiled benchmarks in $bench_classes: run mvn -DskipTests package"
command -v curl >/dev/null || bench_fail "curl is needed"
command -v flite >/dev/null || bench_fail "flite is needed for the caller's voice (Debian package flite)"

bench_classpath="$bench_classes:$bench_dist/lib/*"
bench_work=$(mktemp -d /tmp/parley-voice-bench.XXXXXX)
bench_node_pid=""
bench_providers_pid=""

# bench_parse_providers DEFAULT "$@": the mode comes from a first option --providers=offline|loopback,
# else BENCH_PROVIDERS, else DEFAULT. Sets bench_providers and bench_args (the other arguments), and
# prints the command line to quote with the figures.
bench_parse_providers() {
  local fallback=$1
  shift
  bench_providers=${BENCH_PROVIDERS:-$fallback}
  if [[ ${1:-} == --providers=* ]]; then
    bench_providers=${1#--providers=}
    shift
  fi
  [[ $bench_providers == offline || $bench_providers == loopback ]] ||
    bench_fail "unknown providers mode '$bench_providers': use offline or loopback"
  bench_args=("$@")
  echo "command: BENCH_PROVIDERS=$bench_providers load-tests/$(basename "$0")$(printf ' %q' "$@")"
}

# bench_split_options: splits bench_args into bench_options (--name=value, for the Java benchmark)
# and bench_positional (the rest, in order)
bench_split_options() {
  bench_options=()
  bench_positional=()
  local arg
  for arg in "${bench_args[@]}"; do
    if [[ $arg == --* ]]; then bench_options+=("$arg"); else bench_positional+=("$arg"); fi
  done
}

# bench_run COMMAND...: prints the command, then runs it
bench_run() {
  echo "running:$(printf ' %q' "$@")"
  "$@"
}

# the node's own jar carries its application.conf (a cluster member on the node's ports): leave it out
bench_providers_classpath() {
  local jar classpath=$bench_classes
  for jar in "$bench_dist"/lib/*.jar; do
    [[ $(basename "$jar") == cluster-node-* ]] || classpath+=":$jar"
  done
  echo "$classpath"
}

# bench_start_providers: in loopback mode, starts InstantProviders on a free loopback port and points
# the node's OpenAI and Deepgram clients at it
bench_start_providers() {
  [[ $bench_providers == loopback ]] || return 0
  local log=$bench_work/providers.log port=""
  : > "$log"
  echo "starting loopback providers: java -Xmx512m -cp <load-tests classes + node libs> dev.parley.loadtest.loopback.InstantProviders 0"
  java -Xmx512m -cp "$(bench_providers_classpath)" dev.parley.loadtest.loopback.InstantProviders 0 > "$log" 2>&1 &
  bench_providers_pid=$!
  local deadline=$((SECONDS + 120))
  until port=$(sed -n 's|^Instant providers on http://127.0.0.1:\([0-9]*\)/v1$|\1|p' "$log") && [[ -n $port ]]; do
    kill -0 "$bench_providers_pid" 2>/dev/null || { tail -20 "$log" >&2; bench_fail "the loopback providers exited"; }
    ((SECONDS < deadline)) || { tail -20 "$log" >&2; bench_fail "the loopback providers did not start in time"; }
    sleep 0.2
  done
  export PARLEY_OPENAI_BASE_URL=http://127.0.0.1:$port/v1 PARLEY_OPENAI_API_KEY=bench-loopback
  export PARLEY_DEEPGRAM_BASE_URL=ws://127.0.0.1:$port/v1 PARLEY_DEEPGRAM_API_KEY=bench-loopback
  echo "loopback providers on 127.0.0.1:$port (pid $bench_providers_pid): PARLEY_OPENAI_BASE_URL=$PARLEY_OPENAI_BASE_URL" \
    "PARLEY_DEEPGRAM_BASE_URL=$PARLEY_DEEPGRAM_BASE_URL"
}

# stops the loopback providers after the node and prints what they served
bench_stop_providers() {
  [[ -n $bench_providers_pid ]] || return 0
  kill -TERM "$bench_providers_pid" 2>/dev/null || true
  for _ in $(seq 1 100); do
    kill -0 "$bench_providers_pid" 2>/dev/null || break
    sleep 0.1
  done
  grep -h '^Instant providers served:' "$bench_work/providers.log" ||
    echo "the loopback providers printed no figures (log: $bench_work/providers.log)"
}

bench_stop() {
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
  bench_stop_providers
  rm -rf "$bench_work"
}
trap bench_stop EXIT

# bench_start_node [extra JVM options]: starts the node and waits until it is ready
bench_start_node() {
  export PARLEY_HTTP_PORT=${BENCH_HTTP_PORT:-18090} PARLEY_CASSANDRA_PORT=19052 PARLEY_CASSANDRA_STORAGE_PORT=17010 \
    PARLEY_CLUSTER_PORT=25630 PARLEY_MANAGEMENT_PORT=18568
  export PARLEY_PUBLIC_URL=http://127.0.0.1:$PARLEY_HTTP_PORT
  # the per-key rate limit still runs but does not cut in: a ramp creates calls in bursts
  export PARLEY_RATE_LIMIT_RPS=1000000 PARLEY_RATE_LIMIT_BURST=1000000
  mkdir -p "$bench_work/data"
  local java_opts="${1:--Xms256m -Xmx1g}${BENCH_NODE_OPTS:+ $BENCH_NODE_OPTS}"
  echo "starting node: PARLEY_JAVA_OPTS='$java_opts' cluster-node/target/parley-node/parley-node/bin/parley-node"
  PARLEY_DATA_DIR=$bench_work/data PARLEY_JAVA_OPTS="$java_opts" \
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
  echo "node ready at $bench_base_url, pid $bench_node_pid, providers $bench_providers" \
    "(log: $bench_work/node.log, removed on exit)"
  bench_pin_node
}

# bench_pin_node: with BENCH_NODE_CPUS, the node (all its threads) on those CPUs and the rest of the
# benchmark, this shell (and so the client it starts) included, on the others
bench_pin_node() {
  [[ -n ${BENCH_NODE_CPUS:-} ]] || return 0
  command -v taskset >/dev/null || bench_fail "BENCH_NODE_CPUS needs taskset (Debian package util-linux)"
  [[ $BENCH_NODE_CPUS =~ ^[0-9]+(,[0-9]+)*$ ]] || bench_fail "BENCH_NODE_CPUS is a comma list of CPU numbers, not '$BENCH_NODE_CPUS'"
  local cpu others="" cassandra=""
  for ((cpu = 0; cpu < $(nproc); cpu++)); do
    [[ ,$BENCH_NODE_CPUS, == *,$cpu,* ]] || others+=${others:+,}$cpu
  done
  [[ -n $others ]] || bench_fail "BENCH_NODE_CPUS=$BENCH_NODE_CPUS leaves no CPU for the rest of the benchmark"
  cassandra=$(awk -F= '/^pid=/ {print $2}' "$bench_work/data/cassandra/server.properties" 2>/dev/null || true)
  taskset -a -c -p "$BENCH_NODE_CPUS" "$bench_node_pid" > /dev/null
  local pid
  for pid in $cassandra $bench_providers_pid $$; do
    taskset -a -c -p "$others" "$pid" > /dev/null
  done
  echo "pinned: node on CPU $BENCH_NODE_CPUS; its Cassandra${bench_providers_pid:+, the loopback providers}" \
    "and the benchmark client on CPU $others"
}
