#!/usr/bin/env bash
# Concurrent calls benchmark: starts a node from the built distribution, then for a ramp of N keeps
# N robot calls open (mostly silent, each speaking one turn every few seconds) and prints the jitter
# of the assistant audio they receive: |inter-arrival - 20 ms| p50/p99/max and frames > 20 ms late,
# with calls connected, failed dials, frames received, load average, CPU busy share and node RSS.
# The ramp stops after a step whose p99 exceeds 20 ms. Robots and node share this machine.
# Providers: loopback (default: OpenAI and Deepgram protocols answered at once by InstantProviders
# on a free loopback port) or offline (PocketSphinx: PARLEY_POCKETSPHINX_DECODERS streams at once, 8 by default).
# Usage: [BENCH_PROVIDERS=loopback|offline] load-tests/concurrency-bench.sh [--providers=loopback|offline]
#        [--warm-up=SECONDS] [--lookahead=FRAMES] [--line-noise=RMS] [ramp=50,100,200,500,1000]
#        [seconds-per-step=30]
#        [speak-every-seconds=10]
# --warm-up: an unreported first step at the ramp's first size (default 20 s), so the JIT's work on
# a fresh node is not measured; --lookahead: the node's lookahead-frames, which the jitter allows for;
# --line-noise: robots hiss between turns (white noise of this RMS in 16-bit units; default 0, digital
# silence, which voice detection skips outright; 30 is about -60 dBFS, a quiet phone line).
# Needs: mvn -DskipTests package. Loopback only; its own ports and a temporary data directory.
set -euo pipefail
# shellcheck source=load-tests/bench-node.sh
. "$(dirname "${BASH_SOURCE[0]}")/bench-node.sh"

bench_parse_providers loopback "$@"
# a thousand calls are a thousand sockets on each side
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1), open files: $(ulimit -n)"
bench_start_providers
bench_start_node "-Xms512m -Xmx2g"
bench_split_options
bench_run java -Xmx1g -cp "$bench_classpath" dev.parley.loadtest.bench.ConcurrencyBench \
  --providers="$bench_providers" --node-pid="$bench_node_pid" "${bench_options[@]}" "$bench_base_url" \
  "$bench_key_file" "${bench_positional[0]:-50,100,200,500,1000}" "${bench_positional[1]:-30}" \
  "${bench_positional[2]:-10}"
