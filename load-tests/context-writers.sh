#!/usr/bin/env bash
# Siblings mode against lww with writers that carry their context, side by side in one run
# (ab-wrk.sh with A = `--conflicts lww`, B = `--conflicts siblings`): wrk with
# ringkv-put-context.lua, one wrk process per node of 17 threads of one connection each (51
# connections in all), each thread writing its own keys with the X-Context of its previous write
# of the key. B/A is siblings/lww throughput per round.
#
#   load-tests/context-writers.sh                 # from the project root
#   ROUNDS=5 DURATION=30s load-tests/context-writers.sh
HERE=$(cd "$(dirname "$0")" && pwd)
AARGS="--conflicts lww ${RINGKV_ARGS:-}" BARGS="--conflicts siblings ${RINGKV_ARGS:-}" \
  LUAS=ringkv-put-context.lua THREADS=17 CONNS=17 WARMUP=${WARMUP:-40s} exec "$HERE/ab-wrk.sh"
