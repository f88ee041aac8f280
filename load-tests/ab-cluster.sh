#!/usr/bin/env bash
# A/B of two ringkv builds as 3-node clusters (durability sync), side by side on one machine:
# cluster A on HTTP ports 18181-18183, cluster B on 18281-18283. Each is warmed up under the same
# load, then the measured runs alternate A/B, B/A, A/B, B/A so that a change in the shared
# machine's load hits both sides of a pair. Loopback only.
#
#   AJAR=before.jar BJAR=target/ringkv.jar load-tests/ab-cluster.sh
#   CONNS=1 ...        one connection: the write path's own latency, no queueing
#   RATE=1500 ...      open loop at a fixed rate instead of closed loop
#   READ=1 ...         GET-only instead of PUT-only
# Other knobs: WARM (default 40s), DURATION (20s). Prints one JSON line per run.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${AJAR:?jar of build A}" "${BJAR:?jar of build B}"
JAR=target/ringkv.jar
[ -f "$JAR" ] || mvn -q -DskipTests package
JVM=(java -XX:+UseG1GC -Xmx1g --add-modules java.se --add-opens java.base/java.lang=ALL-UNNAMED
     --add-opens java.base/sun.nio.ch=ALL-UNNAMED --add-exports java.base/jdk.internal.ref=ALL-UNNAMED)
WORK=$(mktemp -d /tmp/ringkv-ab.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]:-}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
"${JVM[@]}" -jar "$AJAR" dev --base-http-port 18181 --base-cluster-port 15701 --durability sync \
  --data-dir "$WORK/a" > "$WORK/a.log" 2>&1 & PIDS+=($!)
"${JVM[@]}" -jar "$BJAR" dev --base-http-port 18281 --base-cluster-port 15801 --durability sync \
  --data-dir "$WORK/b" > "$WORK/b.log" 2>&1 & PIDS+=($!)
until grep -q "Demo page" "$WORK/a.log" && grep -q "Demo page" "$WORK/b.log"; do sleep 1; done
declare -A URL=([A]=http://127.0.0.1:18181,http://127.0.0.1:18182,http://127.0.0.1:18183
                [B]=http://127.0.0.1:18281,http://127.0.0.1:18282,http://127.0.0.1:18283)
run() { # cluster duration warmup
  # shellcheck disable=SC2086
  "${JVM[@]}" -jar "$JAR" bench --url "${URL[$1]}" --r 2 --w 2 --connections "${CONNS:-50}" --keys 20000 \
    --read-ratio "${READ:-0}" ${RATE:+--rate $RATE} --duration "$2" --warmup "$3" --value-bytes 100 --json 2>/dev/null \
    | jq -c --arg c "$1" '{cluster: $c, throughput, p50: .all.p50, p99: .all.p99, errorCount}'
}
run A "${WARM:-40s}" 0s > /dev/null
run B "${WARM:-40s}" 0s > /dev/null
for order in "A B" "B A" "A B" "B A"; do
  for c in $order; do run "$c" "${DURATION:-20s}" 5s; done
done
