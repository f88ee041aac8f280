#!/usr/bin/env bash
# LevelDB vs RocksDB side by side in one run (docs/storage.md): reads of present and of absent keys
# on a data set several times larger than the engine's block cache and the row cache, synced and
# async writes against the ceilings, disk bytes after the load and after a full compaction.
# Loopback only; every process it starts is stopped when it ends.
#
#   load-tests/storage-bench.sh                       # 5M keys of 100 B, 20 s per measured run
#   KEYS=1000000 DURATION=10s load-tests/storage-bench.sh
#   PHASES="single" load-tests/storage-bench.sh       # skip the 3-node cluster (or "cluster", "ceiling")
#
# Knobs: KEYS (5000000), VALUE (100), DURATION (20s), WARMUP (10s), CONNS (50), ENGINES
# ("leveldb rocksdb"), WORK (a fresh dir under /tmp; up to 4 copies of the data set per engine at a
# time), KEEP=1 keeps the filled data sets.
# Writes one JSON line per measured run to $WORK/results.jsonl and prints a summary at the end.
# Needs: Java 17, Maven (to build the jar when missing), curl, jq.
set -euo pipefail
cd "$(dirname "$0")/.."
KEYS=${KEYS:-5000000}
VALUE=${VALUE:-100}
DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-10s}
CONNS=${CONNS:-50}
ENGINES=${ENGINES:-leveldb rocksdb}
PHASES=${PHASES:-ceiling single cluster}
WORK=${WORK:-$(mktemp -d /tmp/ringkv-storage.XXXXXX)}
RESULTS=$WORK/results.jsonl
JAR=target/ringkv.jar
[ -f "$JAR" ] || mvn -q -DskipTests package
JVM=(java -XX:+UseG1GC -Xmx1g --add-modules java.se --add-opens java.base/java.lang=ALL-UNNAMED
     --add-opens java.base/sun.nio.ch=ALL-UNNAMED --add-exports java.base/jdk.internal.ref=ALL-UNNAMED)
PIDS=()
stop_all() {
  for p in "${PIDS[@]:-}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]:-}"; do wait "$p" 2>/dev/null || true; done
  PIDS=()
}
trap stop_all EXIT
mkdir -p "$WORK"
echo "work dir $WORK ($(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))" >&2

record() { # engine setup scenario < bench json
  # load: the machine's 1-minute load average when the run ended (other work shares the cores).
  jq -c --arg e "$1" --arg s "$2" --arg c "$3" --argjson st "$4" --argjson load "$(cut -d' ' -f1 /proc/loadavg)" \
    '{engine: $e, setup: $s, scenario: $c, throughput, p50: .all.p50, p99: .all.p99, errors: .errorCount,
      load: $load, storage: $st}' \
    | tee -a "$RESULTS"
}

# The node's ringkv_storage_* gauges as one JSON object.
storage_meters() { # url
  curl -s "$1/metrics" | awk '/^ringkv_storage_/ && $2 != "NaN" {sub(/^ringkv_storage_/, "", $1); printf "%s\t%s\n", $1, $2}' \
    | jq -R -s 'split("\n") | map(select(length > 0) | split("\t") | {(.[0]): (.[1] | tonumber)}) | add // {}'
}

# What changed in the read meters during one run: gets, tables read, filter probes.
meter_delta() { # before after
  jq -n -c --argjson a "$1" --argjson b "$2" '
    def d(k): (($b[k] // 0) - ($a[k] // 0));
    {gets: d("gets"), tableReads: (if $b.table_reads then d("table_reads") else null end),
     bloomChecked: (if $b.bloom_checked then d("bloom_checked") else null end),
     bloomUseful: (if $b.bloom_useful then d("bloom_useful") else null end)}
    | if .tableReads != null and .gets > 0 then .tableReadsPerGet = ((.tableReads / .gets * 1000 | round) / 1000) else . end'
}

bench() { # urls read-ratio keys prefix extra-args...
  local urls=$1 ratio=$2 keys=$3 prefix=$4; shift 4
  "${JVM[@]}" -jar "$JAR" bench --url "$urls" --connections "$CONNS" --value-bytes "$VALUE" --keys "$keys" \
    --key-prefix "$prefix" --read-ratio "$ratio" --prefill false --duration "$DURATION" --warmup "$WARMUP" \
    --seed 7 --json "$@" 2>/dev/null
}

start_node() { # log id http-port args...
  local log=$1 id=$2 port=$3; shift 3
  : > "$log"
  "${JVM[@]}" -jar "$JAR" node --id "$id" --host 127.0.0.1 --http-port "$port" "$@" > "$log" 2>&1 &
  PIDS+=($!)
}

await_ready() { # log id
  for _ in $(seq 1 600); do
    grep -q "ringkv node $2 ready http=" "$1" && return 0
    sleep 0.5
  done
  echo "node $2 not ready; see $1" >&2; tail -5 "$1" >&2; return 1
}

await_members_up() { # url count
  for _ in $(seq 1 240); do
    [ "$(curl -s "$1/cluster" | jq '[.nodes[] | select(.status == "up")] | length')" = "$2" ] && return 0
    sleep 0.5
  done
  echo "cluster at $1 never saw $2 members up" >&2; return 1
}

# --- The data set: filled once per engine, copied to every node that reads it. ---------------
fill_engine() { # engine
  local e=$1 seed=$WORK/$1/seed
  if [ ! -f "$WORK/$e/fill.json" ]; then
    rm -rf "$seed"
    echo "fill $e: $KEYS keys of $VALUE B" >&2
    "${JVM[@]}" -jar "$JAR" fill --data-dir "$seed" --engine "$e" --keys "$KEYS" --value-bytes "$VALUE" \
      2>/dev/null > "$WORK/$e/fill.json.tmp"
    mv "$WORK/$e/fill.json.tmp" "$WORK/$e/fill.json"
    cp -a "$seed" "$WORK/$e/compacted"
    "${JVM[@]}" -jar "$JAR" compact --data-dir "$WORK/$e/compacted" 2>/dev/null > "$WORK/$e/compact.json"
    rm -rf "$WORK/$e/compacted"
  fi
  jq -c --arg e "$e" '{engine: $e, phase: "fill", seconds, keysPerSecond, diskBytes, stats}' "$WORK/$e/fill.json" \
    | tee -a "$RESULTS"
  jq -c --arg e "$e" '{engine: $e, phase: "compact", seconds, diskBytesBefore, diskBytesAfter, stats}' \
    "$WORK/$e/compact.json" | tee -a "$RESULTS"
}

fresh_copy() { # engine name
  rm -rf "${WORK:?}/$1/$2"
  cp -a "$WORK/$1/seed" "$WORK/$1/$2"
}

# --- The ceilings: the same HTTP server from a map, with and without a synced log. -------------
ceiling_phase() {
  local port=18390
  : > "$WORK/ceiling.log"
  "${JVM[@]}" -jar "$JAR" ceiling --http-port "$port" > "$WORK/ceiling.log" 2>&1 & PIDS+=($!)
  until grep -q "ceiling ready" "$WORK/ceiling.log"; do sleep 0.5; done
  bench "http://127.0.0.1:$port" 0 100000 w- --w 1 | record none ceiling "async writes" '{}'
  stop_all
  for e in $ENGINES; do
    rm -rf "$WORK/ceiling-$e"
    : > "$WORK/ceiling-$e.log"
    "${JVM[@]}" -jar "$JAR" ceiling --http-port "$port" --synced-log "$WORK/ceiling-$e" --engine "$e" \
      > "$WORK/ceiling-$e.log" 2>&1 & PIDS+=($!)
    until grep -q "ceiling ready" "$WORK/ceiling-$e.log"; do sleep 0.5; done
    bench "http://127.0.0.1:$port" 0 100000 w- --w 1 | record "$e" ceiling "synced writes" '{}'
    stop_all
    rm -rf "$WORK/ceiling-$e"
  done
}

# --- One node (N=1): reads, then async and synced writes. ----------------------------------------
single_phase() {
  local port=18381 url=http://127.0.0.1:18381
  for e in $ENGINES; do
    fresh_copy "$e" single
    for durability in async sync; do
      start_node "$WORK/$e/single-$durability.log" s1 "$port" --join none --seeds "" --n 1 --r 1 --w 1 \
        --data-dir "$WORK/$e/single" --engine "$e" --durability "$durability"
      await_ready "$WORK/$e/single-$durability.log" s1
      if [ "$durability" = async ]; then
        for kind in present absent; do
          local prefix=bench-; [ "$kind" = absent ] && prefix=absent-
          local before; before=$(storage_meters "$url")
          local out; out=$(bench "$url" 1 "$KEYS" "$prefix" --r 1)
          echo "$out" | record "$e" "1 node" "$kind keys" "$(meter_delta "$before" "$(storage_meters "$url")")"
        done
      fi
      local written; written=$(bench "$url" 0 100000 "w-$durability-" --w 1)
      echo "$written" | record "$e" "1 node" "$durability writes" "$(storage_meters "$url")"
      stop_all
    done
    rm -rf "${WORK:?}/$e/single"
  done
}

# --- Three nodes (N=3, R=W=2, durability sync): every node holds every key. ---------------------
cluster_phase() {
  local seeds=127.0.0.1:15791,127.0.0.1:15792,127.0.0.1:15793
  local urls=http://127.0.0.1:18391,http://127.0.0.1:18392,http://127.0.0.1:18393
  for e in $ENGINES; do
    for i in 1 2 3; do
      fresh_copy "$e" "c$i"
      start_node "$WORK/$e/c$i.log" "n$i" "1839$i" --cluster-port "1579$i" --seeds "$seeds" \
        --data-dir "$WORK/$e/c$i" --engine "$e" --n 3 --r 2 --w 2 --durability sync
    done
    for i in 1 2 3; do await_ready "$WORK/$e/c$i.log" "n$i"; done
    await_members_up http://127.0.0.1:18391 3
    for kind in present absent; do
      local prefix=bench-; [ "$kind" = absent ] && prefix=absent-
      local before; before=$(storage_meters http://127.0.0.1:18391)
      local out; out=$(bench "$urls" 1 "$KEYS" "$prefix" --r 2)
      echo "$out" | record "$e" "3 nodes sync" "$kind keys" \
        "$(meter_delta "$before" "$(storage_meters http://127.0.0.1:18391)")"
    done
    local written; written=$(bench "$urls" 0 100000 w-cluster- --w 2)
    echo "$written" | record "$e" "3 nodes sync" "sync writes" "$(storage_meters http://127.0.0.1:18391)"
    stop_all
    for i in 1 2 3; do rm -rf "${WORK:?}/$e/c$i"; done
  done
}

for e in $ENGINES; do mkdir -p "$WORK/$e"; fill_engine "$e"; done
for phase in $PHASES; do "${phase}_phase"; done
[ -n "${KEEP:-}" ] || for e in $ENGINES; do rm -rf "${WORK:?}/$e/seed"; done

echo >&2
echo "engine  setup         scenario        ops/s     p50 ms  p99 ms  tables/get  load" >&2
jq -r 'select(.scenario) | [.engine, .setup, .scenario, (.throughput | floor), .p50, .p99,
  (.storage.tableReadsPerGet // "-"), .load] | @tsv' "$RESULTS" | column -t -s $'\t' >&2
echo "results: $RESULTS" >&2
