#!/usr/bin/env bash
# A/B of two ringkv 3-node clusters (N=3, --durability sync) under wrk, side by side in one run:
# cluster A (AJAR, AARGS) on HTTP ports 28181-28183, cluster B (BJAR, BARGS) on 28281-28283. For
# each Lua script in LUAS, one wrk process per node (THREADS threads, CONNS connections each: 1
# and 17 by default, 51 connections in all as in the comparison with etcd). Each cluster is warmed
# up with every script, then measured in ROUNDS alternating rounds (A first in odd rounds, B first
# in even ones), so a change in the shared machine's load hits both sides of a ratio. Prints one
# JSON line per measurement and B/A per round and script. Loopback only.
#
#   AJAR=/tmp/before.jar BJAR=target/ringkv.jar load-tests/ab-wrk.sh            # two builds
#   AARGS="--conflicts lww" BARGS="--conflicts siblings" load-tests/ab-wrk.sh    # two settings
#   LUAS="wrk-put.lua" ROUNDS=5 DURATION=30s load-tests/ab-wrk.sh
# Needs wrk (Debian package), java, python3.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROUNDS=${ROUNDS:-3}; DURATION=${DURATION:-20s}; WARMUP=${WARMUP:-30s}
THREADS=${THREADS:-1}; CONNS=${CONNS:-17}; LUAS=${LUAS:-wrk-put.lua wrk-get.lua}
AJAR=${AJAR:-target/ringkv.jar}; BJAR=${BJAR:-target/ringkv.jar}
[ -f "$AJAR" ] && [ -f "$BJAR" ] || mvn -q -DskipTests package
command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)" >&2; exit 2; }
D=$(mktemp -d /tmp/ringkv-ab.XXXXXX)
JVM=(java -XX:+UseG1GC -Xmx1g --add-modules java.se --add-opens java.base/java.lang=ALL-UNNAMED
     --add-opens java.base/sun.nio.ch=ALL-UNNAMED --add-exports java.base/jdk.internal.ref=ALL-UNNAMED)
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$D"' EXIT
declare -A NODE_PIDS=()
start_cluster() { # name jar args http-base cluster-base
  local name=$1 jar=$2 args=$3 hb=$4 cb=$5
  local seeds="127.0.0.1:$((cb + 1)),127.0.0.1:$((cb + 2)),127.0.0.1:$((cb + 3))"
  for i in 1 2 3; do
    # shellcheck disable=SC2086
    "${JVM[@]}" -jar "$jar" node --id n$i --http-port $((hb + i)) --cluster-port $((cb + i)) --seeds "$seeds" \
      --durability sync --data-dir "$D/$name-n$i" $args > "$D/$name-n$i.log" 2>&1 &
    PIDS+=($!); NODE_PIDS[$name]="${NODE_PIDS[$name]:-} $!"
  done
}
cpu_ticks() { # the CPU time (clock ticks) the nodes of a cluster have used so far
  local t=0 p
  for p in $1; do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done
  echo $t
}
start_cluster A "$AJAR" "${AARGS:-}" 28180 25710
start_cluster B "$BJAR" "${BARGS:-}" 28280 25720
for _ in $(seq 1 180); do [ "$(grep -l 'ready http' "$D"/*-n*.log 2>/dev/null | wc -l)" = 6 ] && break; sleep 1; done
declare -A URLS=([A]="http://127.0.0.1:28181 http://127.0.0.1:28182 http://127.0.0.1:28183"
                 [B]="http://127.0.0.1:28281 http://127.0.0.1:28282 http://127.0.0.1:28283")
run() { # name cluster lua duration
  local name=$1 cluster=$2 lua=$3 dur=$4 ps=() j=0 before after
  before=$(cpu_ticks "${NODE_PIDS[$cluster]}")
  for u in ${URLS[$cluster]}; do
    wrk -t"$THREADS" -c"$CONNS" -d"$dur" --latency -s "$HERE/$lua" "$u" > "$D/wrk-$name-$j.txt" 2>&1 &
    ps+=($!); j=$((j+1))
  done
  wait "${ps[@]}"
  after=$(cpu_ticks "${NODE_PIDS[$cluster]}")
  # Node CPU per request: less noisy than throughput when the shared machine's load changes.
  CPU_TICKS=$((after - before)) TICKS_PER_S=$(getconf CLK_TCK) \
    python3 "$HERE/lib/wrk_summary.py" "$name" "$D"/wrk-"$name"-*.txt | tee -a "$D/results.jsonl"
}
for lua in $LUAS; do
  run "warm-A-$lua" A "$lua" "$WARMUP" >/dev/null; run "warm-B-$lua" B "$lua" "$WARMUP" >/dev/null
done
for r in $(seq 1 "$ROUNDS"); do
  if [ $((r % 2)) = 1 ]; then order="A B"; else order="B A"; fi
  for lua in $LUAS; do
    for c in $order; do run "r$r-$c-$lua" "$c" "$lua" "$DURATION"; done
  done
done
python3 - "$D/results.jsonl" $LUAS <<'PY'
import json, sys
rows = {json.loads(l)["name"]: json.loads(l) for l in open(sys.argv[1])}
for lua in sys.argv[2:]:
    ratios, r = [], 1
    while f"r{r}-A-{lua}" in rows:
        ratios.append(rows[f"r{r}-B-{lua}"]["rps"] / max(1, rows[f"r{r}-A-{lua}"]["rps"]))
        r += 1
    print(f"B/A {lua}: " + ", ".join(f"{x:.2f}" for x in ratios) + f"  mean {sum(ratios) / max(1, len(ratios)):.2f}")
    cpu = [rows[f"r{i}-B-{lua}"]["node_cpu_us_per_req"] / rows[f"r{i}-A-{lua}"]["node_cpu_us_per_req"]
           for i in range(1, r) if rows[f"r{i}-A-{lua}"].get("node_cpu_us_per_req")]
    if cpu:
        print(f"B/A node CPU per request {lua}: " + ", ".join(f"{x:.2f}" for x in cpu)
              + f"  mean {sum(cpu) / len(cpu):.2f}")
PY
