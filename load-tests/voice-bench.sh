#!/usr/bin/env bash
# Voice-to-voice latency benchmark: starts a node from the built distribution, has robot callers
# speak turns in real time and prints per-turn voice-to-voice p50/p95/p99/max measured at the robot,
# the server's breakdown (endpointing, transcriber, model, voice, turn) and transport = robot
# voice-to-voice - server turn latency.
# Providers: offline (default: scripted model, flite voice, PocketSphinx) or loopback (OpenAI and
# Deepgram protocols answered at once by InstantProviders on a free loopback port, to isolate the
# platform's own overhead; also prints turn latency minus the designed startSpeakingPlan wait).
# Usage: [BENCH_PROVIDERS=offline|loopback] load-tests/voice-bench.sh [--providers=offline|loopback]
#        [--warm-up=CALLS] [calls=10] [turns-per-call=3] [concurrent=3]
# --warm-up: calls run first and not reported (default 0), so a fresh node's JIT is not measured.
# Needs: mvn -DskipTests package. Loopback only; its own ports and a temporary data directory.
set -euo pipefail
# shellcheck source=load-tests/bench-node.sh
. "$(dirname "${BASH_SOURCE[0]}")/bench-node.sh"

bench_parse_providers offline "$@"
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1)"
bench_start_providers
bench_start_node
bench_split_options
bench_run java -Xmx512m -cp "$bench_classpath" dev.parley.loadtest.bench.VoiceLatencyBench \
  --providers="$bench_providers" "${bench_options[@]}" "$bench_base_url" "$bench_key_file" \
  "${bench_positional[0]:-10}" "${bench_positional[1]:-3}" "${bench_positional[2]:-3}"
