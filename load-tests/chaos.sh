#!/usr/bin/env bash
# Chaos benchmark (long form): N node JVMs from the built distribution on one embedded Cassandra,
# M robot calls at once speaking tagged turns through loopback providers, a random node killed
# with kill -9 and restarted every T for D; then every call's journal, the read model and what
# each caller heard are checked. Prints: calls completed / resumed / ended with a recorded reason /
# lost, events lost / duplicated, read-model mismatches, reconnects and silence per failover
# (p50/p99/max). ./test runs the short form (cluster-node ChaosShortTest: 3 nodes, 20 calls, 3 kills).
# Usage: load-tests/chaos.sh [--nodes=3] [--calls=30] [--kill-every=20s] [--duration=10m] [--kills=0]
#        [--seed=1] [--turns=40] [--pause=1500ms] [--reconnect-window=30s] [--node-heap=512m]
#        [--cassandra=host:port] [--node-settings=key=value,...] [--restart-after=0s]
#        (--kills=N stops after N kills; 0: only the duration counts; --node-settings: the nodes'
#        -D settings, e.g. parley.cluster.failure-detection-pause=1s)
# Work directory (nodes' data and logs, kept): CHAOS_WORK_DIR, else a new /tmp/parley-chaos.XXXXXX.
# Needs: mvn -DskipTests package, flite (the callers' voice). Loopback only.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dist=$root/cluster-node/target/parley-node/parley-node
classes=$root/load-tests/target/classes

fail() { echo "chaos.sh: $*" >&2; exit 1; }
[[ -x $dist/bin/parley-node ]] || fail "no distribution at $dist: run mvn -DskipTests package"
[[ -d $classes/dev/parley/loadtest/chaos ]] || fail "no compiled chaos runner in $classes: run mvn -DskipTests package"
command -v flite >/dev/null || fail "flite is needed for the callers' voice (Debian package flite)"

work=${CHAOS_WORK_DIR:-$(mktemp -d /tmp/parley-chaos.XXXXXX)}
mkdir -p "$work"
# the runner must not load the node's own application.conf (a cluster member): leave that jar out
runner_classpath=$classes
for jar in "$dist"/lib/*.jar; do
  [[ $(basename "$jar") == cluster-node-* ]] || runner_classpath+=":$jar"
done
# each node gets many sockets; the runner holds every caller's
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

echo "command: load-tests/chaos.sh$(printf ' %q' "$@")"
echo "machine: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB, $(java -version 2>&1 | head -1), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "work directory (nodes' logs): $work"
export PARLEY_CASSANDRA_LIB_DIR=$dist/cassandra/lib
exec java -Xmx1g -cp "$runner_classpath" dev.parley.loadtest.chaos.ChaosMain \
  --work-dir="$work" --node-classpath="$dist/lib/*:$classes" \
  --nodes=3 --calls=30 --kill-every=20s --kills=0 --duration=10m "$@"
