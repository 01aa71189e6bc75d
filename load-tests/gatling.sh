#!/usr/bin/env bash
# Concurrent WebSocket calls with Gatling (Java DSL, load-tests/src/gatling/java, Maven profile
# -Pgatling): each virtual user POSTs /call with an inline assistant on the loopback providers,
# streams flite speech as 20 ms PCM frames in real time for a few turns, checks the call's server
# messages and hangs up with end-call. Prints Gatling's figures (requests, OK/KO, response time
# percentiles), the callers' turn figures and where the HTML report is.
# Without --urls it builds the node, starts InstantProviders and one node pointed at them (as
# concurrency-bench.sh does, on its own ports and a temporary data directory). With
# --urls=URL[,URL...] calls go round-robin to those nodes, which must already use the loopback
# providers (PARLEY_OPENAI_BASE_URL / PARLEY_DEEPGRAM_BASE_URL), and --key-file=FILE holds their API key.
# Usage: load-tests/gatling.sh [--urls=URL,...] [--key-file=FILE] [users=10] [call-seconds=30]
#        [ramp-seconds=10] [turns=3]
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
fail() { echo "$(basename "$0"): $*" >&2; exit 1; }

urls=""
key_file=""
positional=()
for arg in "$@"; do
  case $arg in
    --urls=*) urls=${arg#--urls=} ;;
    --key-file=*) key_file=${arg#--key-file=} ;;
    --*) fail "unknown option $arg; usage: gatling.sh [--urls=URL,...] [--key-file=FILE] [users] [call-seconds] [ramp-seconds] [turns]" ;;
    *) positional+=("$arg") ;;
  esac
done
users=${positional[0]:-10}
call_seconds=${positional[1]:-30}
ramp_seconds=${positional[2]:-10}
turns=${positional[3]:-3}
for n in "$users" "$call_seconds" "$ramp_seconds" "$turns"; do
  [[ $n =~ ^[0-9]+$ ]] || fail "users, call-seconds, ramp-seconds and turns are whole numbers, not '$n'"
done
if [[ -n $urls && -z $key_file ]]; then
  fail "--urls needs --key-file=FILE: a file holding the nodes' API key"
fi
echo "command: load-tests/gatling.sh$(printf ' %q' "$@")"
cd "$root"

if [[ -z $urls ]]; then
  echo "building: mvn -q -DskipTests -Pgatling package -pl cluster-node,load-tests -am"
  mvn -q -DskipTests -Pgatling package -pl cluster-node,load-tests -am
  # shellcheck source=load-tests/bench-node.sh
  . "$root/load-tests/bench-node.sh"
  # keep the node's log: bench_stop removes its temporary directory
  trap 'cp "$bench_work/node.log" "$root/load-tests/target/gatling-node.log" 2>/dev/null || true; bench_stop' EXIT
  bench_providers=loopback
  ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
  echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1), open files: $(ulimit -n)"
  bench_start_providers
  bench_start_node "-Xms512m -Xmx2g"
  urls=$bench_base_url
  key_file=$bench_key_file
fi

log=$root/load-tests/target/gatling-run.log
mkdir -p "$(dirname "$log")"
# the simulation bounds itself (maxDuration); this bounds the build around it too
limit=$((ramp_seconds + call_seconds + 900))
run=(mvn -Pgatling -DskipTests -pl load-tests -am integration-test "-Dparley.urls=$urls" "-Dparley.keyFile=$key_file"
  "-Dparley.users=$users" "-Dparley.callSeconds=$call_seconds" "-Dparley.rampSeconds=$ramp_seconds" "-Dparley.turns=$turns")
echo "running (at most $limit s, log: $log):$(printf ' %q' "${run[@]}")"
status=0
timeout --kill-after=30 "$limit" "${run[@]}" > "$log" 2>&1 || status=$?

# Gatling's figures: per request from the HTML report's statistics table, then its console summary
# (global timings, errors), then the callers' own turn figures and the report's path
report=$(sed -n 's/.*please open the following file: *file:\/\/*/\//p' "$log" | tail -1)
grep -h '^Parley calls:' "$log" || true
if [[ -f $report ]]; then
  printf '%-26s %7s %7s %5s %6s %6s %6s %6s %6s %6s %6s\n' request total OK KO min p50 p75 p95 p99 max mean
  awk '
    /class="ellipsed-name">/ { name = $0; sub(/.*class="ellipsed-name">/, "", name); sub(/<.*/, "", name); next }
    name != "" && /<td class="value [a-z]+ col-[0-9]+">/ {
      cell = $0; sub(/.*col-/, "", cell); column = cell; sub(/".*/, "", column); sub(/^[0-9]+">/, "", cell); sub(/<.*/, "", cell)
      value[column] = cell
      if (column == 14) {
        printf "%-26s %7s %7s %5s %6s %6s %6s %6s %6s %6s %6s\n", name, value[2], value[3], value[4], value[7], value[8],
          value[9], value[10], value[11], value[12], value[13]
        name = ""
      }
    }' "$report"
  echo "(ms; frames and end-call are logged when sent; a check runs from the connect or send that armed it)"
fi
sed -n '/^---- Global Information/,/^=====/p' "$log"
sed -n '/^Parley figures/,/calls ended by the server/p' "$log"
if [[ -n $report ]]; then
  echo "HTML report: $report"
fi
if ((status != 0)); then
  tail -40 "$log" >&2
  fail "the Gatling run failed (exit $status); full log: $log"
fi
