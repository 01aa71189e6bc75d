#!/usr/bin/env bash
# REST benchmark with wrk against a running node (./run), loopback only, bounded in time.
#   (a) GET /health/alive      a static route: the ceiling of the HTTP stack on this machine
#   (b) GET /assistant/{id}    the registry read path (auth, rate limit, entity or cache, JSON)
#   (c) POST /assistant        a realistic create (validation, persistence)
# Prints requests/s, p50 and p99 for each, and (b) against (a): the target is >= 70 % of the
# ceiling with p99 <= 10 ms.
#
# Usage: load-tests/rest-bench.sh
#   PARLEY_BASE_URL     default http://127.0.0.1:8080 (loopback addresses only)
#   PARLEY_API_KEY      default: the contents of $PARLEY_DATA_DIR/dev-api-key (data/ of ./run)
#   BENCH_DURATION=20s BENCH_WARMUP=5s BENCH_THREADS=2 BENCH_CONNECTIONS=32
#   BENCH_ENFORCE=1     exit 3 when the target is missed
# The node limits requests per API key (100/s by default): start the node under test with
#   PARLEY_RATE_LIMIT_RPS=1000000 PARLEY_RATE_LIMIT_BURST=1000000
# so the limiter still runs but does not cut in.
# (c) creates an assistant per request and keeps them: point it at a throw-away data directory.
# wrk shares the CPU with the node: on 2 cores, figures are for comparison, not capacity.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
lua_dir=$root/load-tests/wrk
base_url=${PARLEY_BASE_URL:-http://127.0.0.1:8080}
base_url=${base_url%/}
duration=${BENCH_DURATION:-20s}
warmup=${BENCH_WARMUP:-5s}
threads=${BENCH_THREADS:-2}
connections=${BENCH_CONNECTIONS:-32}
target_ratio=70
target_p99_ms=10

fail() { echo "rest-bench: $*" >&2; exit 1; }

# traffic stays on this machine
host=$(sed -E 's#^[a-z]+://(\[[^]]*\]|[^/:]*).*#\1#' <<<"$base_url")
[[ $host =~ ^(127\.[0-9.]+|localhost|\[::1\])$ ]] || fail "$base_url is not a loopback address"

if ! command -v wrk >/dev/null; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "installing wrk (Debian package)"
    apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
  else
    fail "wrk is not installed: run 'sudo apt-get install -y wrk' (Debian/Ubuntu) and try again"
  fi
fi
command -v curl >/dev/null || fail "curl is needed"

if [[ -z ${PARLEY_API_KEY:-} ]]; then
  key_file=${PARLEY_DATA_DIR:-$root/data}/dev-api-key
  [[ -r $key_file ]] || fail "no PARLEY_API_KEY and no readable $key_file: start the node with ./run first"
  PARLEY_API_KEY=$(tr -d '[:space:]' <"$key_file")
fi
export PARLEY_API_KEY

curl -sf -o /dev/null --max-time 5 "$base_url/health/alive" || fail "no node answers at $base_url/health/alive"

# the assistant that (b) reads, created with the same body as (c)
body=$(sed -n '/^wrk.body = \[\[$/,/^\]\]$/p' "$lua_dir/post-assistant.lua" | sed '1d;$d')
created=$(curl -sS --max-time 10 -w '\n%{http_code}' -X POST "$base_url/assistant" \
  -H "Authorization: Bearer $PARLEY_API_KEY" -H 'Content-Type: application/json' --data "$body")
status=${created##*$'\n'}
[[ $status == 201 ]] || fail "POST /assistant answered $status: ${created%$'\n'*}"
assistant_id=$(sed -E 's/.*"id" *: *"([^"]+)".*/\1/' <<<"${created%$'\n'*}")
[[ -n $assistant_id && $assistant_id != "${created%$'\n'*}" ]] || fail "no id in ${created%$'\n'*}"

# one scenario: a discarded warm-up (JIT, caches), then the measured run; prints its RESULT line
measure() {
  local script=$1 url=$2
  wrk -t"$threads" -c"$connections" -d"$warmup" -s "$lua_dir/$script" "$url" >/dev/null
  wrk -t"$threads" -c"$connections" -d"$duration" --timeout 5s --latency -s "$lua_dir/$script" "$url" \
    | grep '^RESULT '
}
field() { sed -E "s/.* $1=([^ ]+).*/\1/" <<<"$2"; }

echo "machine: $(nproc) cores; wrk: $threads threads, $connections connections, $duration per scenario (+$warmup warm-up)"
ceiling=$(measure report.lua "$base_url/health/alive")
read_one=$(measure report.lua "$base_url/assistant/$assistant_id")
create=$(measure post-assistant.lua "$base_url/assistant")

printf '%-34s %10s %9s %9s %9s %8s\n' scenario "req/s" "p50 ms" "p99 ms" "non-2xx" "errors"
for row in "GET /health/alive (ceiling)|$ceiling" "GET /assistant/{id}|$read_one" "POST /assistant|$create"; do
  name=${row%%|*} result=${row#*|}
  printf '%-34s %10s %9s %9s %9s %8s\n' "$name" "$(field rps "$result")" "$(field p50_ms "$result")" \
    "$(field p99_ms "$result")" "$(field non2xx "$result")" "$(field socket_errors "$result")"
done

ratio=$(awk -v a="$(field rps "$read_one")" -v c="$(field rps "$ceiling")" 'BEGIN { printf "%.1f", 100 * a / c }')
p99=$(field p99_ms "$read_one")
verdict=$(awk -v r="$ratio" -v p="$p99" -v tr="$target_ratio" -v tp="$target_p99_ms" \
  'BEGIN { print (r >= tr && p <= tp) ? "MET" : "MISSED" }')
echo "GET /assistant/{id} = ${ratio}% of the ceiling, p99 ${p99} ms (target >= ${target_ratio}%, p99 <= ${target_p99_ms} ms): $verdict"

bad=0
for result in "$ceiling" "$read_one" "$create"; do
  (( $(field non2xx "$result") + $(field socket_errors "$result") > 0 )) && bad=1
done
if [[ $bad -ne 0 ]]; then
  probe=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 -H "Authorization: Bearer $PARLEY_API_KEY" \
    "$base_url/assistant/$assistant_id")
  [[ $probe != 429 ]] || echo "rest-bench: the node answers 429: its per-key rate limit cut in (see the top of this script)" >&2
  fail "some requests failed (non-2xx or socket errors): the figures above are not comparable"
fi
[[ $verdict == MET || -z ${BENCH_ENFORCE:-} ]] || exit 3
