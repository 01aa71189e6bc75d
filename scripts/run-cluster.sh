# Sourced by ./run for --nodes N (N > 1): one Cassandra and N nodes on this machine, all on
# loopback. Node i serves HTTP on 8080+i, Pekko remoting on 25520+i, management on 8558+i (bases:
# PARLEY_HTTP_PORT, PARLEY_CLUSTER_PORT, PARLEY_MANAGEMENT_PORT). Logs: $PARLEY_DATA_DIR/logs.
# Ctrl-C stops the nodes (each leaves the cluster) and then Cassandra.

run_cluster() {
  local count="$1"; shift
  local dist="$1"; shift
  local http_base="${PARLEY_HTTP_PORT:-8080}" remote_base="${PARLEY_CLUSTER_PORT:-25520}"
  local mgmt_base="${PARLEY_MANAGEMENT_PORT:-8558}" logs="$PARLEY_DATA_DIR/logs"
  mkdir -p "$logs"
  local pids=() seeds="" i
  for ((i = 0; i < count; i++)); do
    seeds+="${seeds:+,}pekko://${PARLEY_CLUSTER_NAME:-parley}@127.0.0.1:$((remote_base + i))"
  done
  stop_all() {
    trap - INT TERM EXIT
    echo "Stopping ${#pids[@]} processes..."
    local p
    for ((p = ${#pids[@]} - 1; p >= 0; p--)); do kill -TERM "${pids[p]}" 2>/dev/null || true; done
    wait 2>/dev/null || true
  }
  trap stop_all INT TERM EXIT

  "$dist/bin/parley-node" cassandra >"$logs/cassandra.log" 2>&1 &
  pids+=("$!")
  local contact="" tries
  for ((tries = 0; tries < 360; tries++)); do
    contact="$(sed -n 's/^parley: cassandra ready at //p' "$logs/cassandra.log" | head -1)"
    [[ -n "$contact" ]] && break
    kill -0 "${pids[0]}" 2>/dev/null || { cat "$logs/cassandra.log" >&2; echo "Cassandra did not start" >&2; exit 1; }
    sleep 0.5
  done
  [[ -n "$contact" ]] || { echo "Cassandra did not start within 180 s: $logs/cassandra.log" >&2; exit 1; }
  echo "Cassandra is up at $contact"

  for ((i = 0; i < count; i++)); do
    PARLEY_HTTP_PORT=$((http_base + i)) PARLEY_CLUSTER_PORT=$((remote_base + i)) \
      PARLEY_MANAGEMENT_PORT=$((mgmt_base + i)) PARLEY_SEED_NODES="$seeds" \
      PARLEY_CASSANDRA_EMBEDDED=off PARLEY_CASSANDRA_CONTACT_POINTS="$contact" \
      PARLEY_FAILURE_DETECTION_PAUSE="${PARLEY_FAILURE_DETECTION_PAUSE:-2s}" \
      PARLEY_DOWN_UNREACHABLE_AFTER="${PARLEY_DOWN_UNREACHABLE_AFTER:-2s}" \
      PARLEY_DOWN_REMOVAL_MARGIN="${PARLEY_DOWN_REMOVAL_MARGIN:-1s}" \
      "$dist/bin/parley-node" "$@" >"$logs/node-$i.log" 2>&1 &
    pids+=("$!")
    # The first node writes the dev keys every node shares; the others start once it is ready.
    if ((i == 0)); then await_ready "$http_base" "${pids[1]}" "$logs/node-0.log"; fi
  done
  for ((i = 1; i < count; i++)); do await_ready $((http_base + i)) "${pids[i + 1]}" "$logs/node-$i.log"; done
  echo
  echo "  Parley is ready: $count nodes"
  for ((i = 0; i < count; i++)); do
    echo "  node $i:      http://localhost:$((http_base + i))  (log $logs/node-$i.log)"
  done
  echo "  Dev API key: $(cat "$PARLEY_DATA_DIR/dev-api-key")  (also in $PARLEY_DATA_DIR/dev-api-key)"
  echo "  Talk page:   http://localhost:$http_base/dashboard/talk.html?key=$(cat "$PARLEY_DATA_DIR/dev-public-key" 2>/dev/null)&assistantId=<an assistant's id>"
  echo "  Cluster:     http://localhost:$mgmt_base/cluster/members"
  echo
  wait -n "${pids[@]}" || true
  echo "A process stopped; stopping the rest." >&2
}

await_ready() {
  local port="$1" pid="$2" log="$3" tries
  for ((tries = 0; tries < 360; tries++)); do
    curl -fsS -o /dev/null "http://127.0.0.1:$port/health/ready" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || { tail -30 "$log" >&2; echo "The node on port $port stopped" >&2; exit 1; }
    sleep 0.5
  done
  echo "The node on port $port was not ready within 180 s: $log" >&2
  exit 1
}
