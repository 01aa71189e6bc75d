#!/usr/bin/env bash
# Voice-to-voice latency benchmark: starts a node from the built distribution (offline providers:
# scripted model, flite voice, PocketSphinx), has robot callers speak turns in real time and prints
# per-turn voice-to-voice p50/p95/max measured at the robot, the server's breakdown (endpointing,
# transcriber, model, voice, turn) and transport = robot voice-to-voice - server turn latency.
# Usage: load-tests/voice-bench.sh [calls=10] [turns-per-call=3] [concurrent=3]
# Needs: mvn -DskipTests package. Loopback only; its own ports and a temporary data directory.
set -euo pipefail
# shellcheck source=load-tests/bench-node.sh
. "$(dirname "${BASH_SOURCE[0]}")/bench-node.sh"

echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1)"
bench_start_node
java -Xmx512m -cp "$bench_classpath" dev.parley.loadtest.bench.VoiceLatencyBench \
  "$bench_base_url" "$bench_key_file" "${1:-10}" "${2:-3}" "${3:-3}"
