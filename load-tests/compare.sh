#!/usr/bin/env bash
# Runs ringkv's benchmarks end to end, side by side in one run, and writes the tables into
# docs/benchmarks.md (between the GENERATED markers). Everything listens on 127.0.0.1 only.
#
#   load-tests/compare.sh            # all scenarios (about 40 minutes: 60 s warm-up + 30 s measured each)
#   ROUNDS=3 load-tests/compare.sh single         # more alternating closed-loop rounds (default 2)
#   DURATION=10s load-tests/compare.sh single     # only the single-node scenarios (issue: foundation)
#   DURATION=10s load-tests/compare.sh cluster    # only ringkv 3 nodes vs etcd 3 members
#
# Needs: Java 17, Maven (to build the jar when missing), etcd (Debian package etcd-server) for the
# cluster part, python3.
set -euo pipefail
cd "$(dirname "$0")/.."
WHAT=${1:-all}
DURATION=${DURATION:-30s}
# Every scenario first runs the same load unmeasured for WARMUP: JVM servers are measured in their
# steady state, as they run in production. Three cold JVMs JIT-compiling on 2 cores measure at a
# third of their warm throughput for the first minute. etcd gets the same warm-up.
WARMUP=${WARMUP:-60s}
CONNECTIONS=${CONNECTIONS:-50}
OUT=target/bench-results
WORK=$(mktemp -d /tmp/ringkv-bench.XXXXXX)
mkdir -p "$OUT"
JAR=target/ringkv.jar
[ -f "$JAR" ] || mvn -q -DskipTests package
JVM=(java -XX:+UseG1GC -Xmx1g --add-modules java.se --add-opens java.base/java.lang=ALL-UNNAMED
     --add-opens java.base/sun.nio.ch=ALL-UNNAMED --add-exports java.base/jdk.internal.ref=ALL-UNNAMED)
PIDS=()
cleanup() { for p in "${PIDS[@]:-}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

wait_http() { # url: until it answers 2xx
  for _ in $(seq 1 240); do curl -sf -o /dev/null "$1" && return 0; sleep 0.5; done
  echo "not ready: $1" >&2; return 1
}
wait_listening() { # url: until it answers at all (any status)
  for _ in $(seq 1 240); do [ "$(curl -s -o /dev/null -w '%{http_code}' "$1")" != 000 ] && return 0; sleep 0.5; done
  echo "not listening: $1" >&2; return 1
}
bench() { # name args...
  local name=$1; shift
  echo "== $name: bench $*" >&2
  "${JVM[@]}" -jar "$JAR" bench --duration "$DURATION" --warmup "$WARMUP" --value-bytes 100 --json "$@" > "$OUT/$name.json"
  jq -c '{throughput, p50: .all.p50, p99: .all.p99, p999: .all.p999, errors: .errorCount}' "$OUT/$name.json" >&2
}
stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

single() {
  # The ceiling (the same routes on an in-memory map), the synced ceiling (the same, plus every
  # change synced to LevelDB's log through ringkv's group-commit writer before it is answered) and
  # ringkv, async and sync, all running at once; the closed-loop runs alternate between them for
  # ROUNDS rounds (the order reversed every other round), so a change in what else the shared
  # cores are doing hits both sides of a ratio.
  "${JVM[@]}" -jar "$JAR" ceiling --http-port 18090 > "$WORK/ceiling.log" 2>&1 & local ceiling=$!; PIDS+=($ceiling)
  "${JVM[@]}" -jar "$JAR" ceiling --http-port 18091 --synced-log "$WORK/ceiling-synced-log" \
    > "$WORK/ceiling-synced.log" 2>&1 & local ceiling_synced=$!; PIDS+=($ceiling_synced)
  local -A port=([ceiling]=18090 [ceiling-synced]=18091 [async]=18080 [sync]=18081) node=()
  for durability in async sync; do
    "${JVM[@]}" -jar "$JAR" node --id "b-$durability" --join none --seeds "" --http-port "${port[$durability]}" \
      --n 1 --r 1 --w 1 --durability "$durability" --data-dir "$WORK/single-$durability" \
      > "$WORK/node-$durability.log" 2>&1 &
    node[$durability]=$!; PIDS+=(${node[$durability]})
  done
  wait_listening http://127.0.0.1:18090/kv/warm
  wait_listening http://127.0.0.1:18091/kv/warm
  wait_http http://127.0.0.1:18080/ready
  wait_http http://127.0.0.1:18081/ready
  local order
  for round in $(seq 1 "${ROUNDS:-2}"); do
    if [ $((round % 2)) = 1 ]; then order="ceiling ceiling-synced async sync"; else order="sync async ceiling-synced ceiling"; fi
    for target in $order; do
      bench "single-$target-closed-$round" --url "http://127.0.0.1:${port[$target]}" --connections "$CONNECTIONS" \
        --read-ratio 0.5 --r 1 --w 1
    done
  done
  for target in ceiling async sync; do
    bench "single-$target-open" --url "http://127.0.0.1:${port[$target]}" --connections "$CONNECTIONS" \
      --read-ratio 0.5 --r 1 --w 1 --rate 2000
  done
  # 1M distinct keys (the prefill writes every key once), then the async node's heap after a full GC.
  DURATION=1s WARMUP=0s bench single-1m-keys --url http://127.0.0.1:18080 --connections "$CONNECTIONS" --keys 1000000 --read-ratio 0.5 --r 1 --w 1
  jcmd "${node[async]}" GC.run > /dev/null
  curl -s http://127.0.0.1:18080/metrics | awk '/^jvm_memory_used_bytes\{area="heap"/ {s+=$NF} END {printf "{\"heapUsedBytes\": %d}\n", s}' > "$OUT/single-1m-heap.json"
  cat "$OUT/single-1m-heap.json" >&2
  stop "${node[async]}"; stop "${node[sync]}"; stop "$ceiling"; stop "$ceiling_synced"
}

cluster() {
  # ringkv: 3 processes, N=3 W=2 R=2, durability sync (etcd syncs every write); etcd: 3 members on
  # loopback behind its v3 JSON gateway, compacting its history every minute as production
  # clusters do (without it, every overwrite stays in its store and it slows down round after
  # round). Both clusters run at once (idle, 3 ringkv nodes use 8% of one core, 3 etcd members 5%)
  # and the closed-loop runs alternate between them for ROUNDS rounds.
  "${JVM[@]}" -jar "$JAR" dev --base-http-port 18181 --base-cluster-port 15701 --durability sync \
    --data-dir "$WORK/dev" > "$WORK/dev.log" 2>&1 & local dev=$!; PIDS+=($dev)
  local cluster="e1=http://127.0.0.1:12380,e2=http://127.0.0.1:12480,e3=http://127.0.0.1:12580"
  local i=0 etcds=()
  for m in e1 e2 e3; do
    local client=$((12379 + i * 100)) peer=$((12380 + i * 100))
    etcd --name "$m" --data-dir "$WORK/$m" --listen-client-urls "http://127.0.0.1:$client" \
      --advertise-client-urls "http://127.0.0.1:$client" --listen-peer-urls "http://127.0.0.1:$peer" \
      --initial-advertise-peer-urls "http://127.0.0.1:$peer" --initial-cluster "$cluster" \
      --initial-cluster-state new --initial-cluster-token ringkv-bench --log-level error \
      --auto-compaction-mode periodic --auto-compaction-retention 1m > "$WORK/$m.log" 2>&1 &
    PIDS+=($!); etcds+=($!); i=$((i + 1))
  done
  for p in 18181 18182 18183; do wait_http "http://127.0.0.1:$p/ready"; done
  until grep -q "Demo page" "$WORK/dev.log"; do sleep 1; done
  for p in 12379 12479 12579; do wait_http "http://127.0.0.1:$p/health"; done
  local -A args=([ringkv]="--url http://127.0.0.1:18181,http://127.0.0.1:18182,http://127.0.0.1:18183 --r 2 --w 2"
                 [etcd]="--target etcd --url http://127.0.0.1:12379,http://127.0.0.1:12479,http://127.0.0.1:12579")
  local order
  for round in $(seq 1 "${ROUNDS:-2}"); do
    if [ $((round % 2)) = 1 ]; then order="ringkv etcd"; else order="etcd ringkv"; fi
    for op in put get; do
      for target in $order; do
        # shellcheck disable=SC2086
        bench "$target-$op-$round" ${args[$target]} --connections "$CONNECTIONS" --keys 20000 \
          --read-ratio "$([ $op = put ] && echo 0 || echo 1)"
      done
    done
  done
  for target in ringkv etcd; do
    # shellcheck disable=SC2086
    bench "$target-open" ${args[$target]} --connections "$CONNECTIONS" --keys 20000 --read-ratio 0.5 --rate 1500
  done
  stop "$dev"
  for e in "${etcds[@]}"; do stop "$e"; done
}

case "$WHAT" in
  single) single ;;
  cluster) cluster ;;
  all) single; cluster ;;
  *) echo "usage: $0 [all|single|cluster]" >&2; exit 2 ;;
esac
python3 load-tests/render_benchmarks.py "$OUT" docs/benchmarks.md "$DURATION" "$CONNECTIONS" "$WARMUP"
echo "tables written to docs/benchmarks.md" >&2
