#!/usr/bin/env bash
# Change-feed measurements on this machine (loopback only):
#  1. heap per idle subscriber and how many a node holds (node in its own process, subscribers in python),
#  2. write throughput with and without a subscriber that never reads (alternating runs),
#  3. latency from write acknowledgement to event arrival on another node (FeedLatencyBench:
#     3 clustered nodes in one JVM, 100 subscribers on n3, writes through n1 at 1,000/s).
#   load-tests/feed-bench.sh [memory|slow|latency|all]
#   IDLE=5000 TOP_CLASSES=60 load-tests/feed-bench.sh memory   # subscribers, classes listed per subscriber
set -euo pipefail
cd "$(dirname "$0")/.."
WHAT=${1:-all}
IDLE=${IDLE:-5000}
DURATION=${DURATION:-15s}
WORK=$(mktemp -d /tmp/ringkv-feed.XXXXXX)
JAR=target/ringkv.jar
[ -f "$JAR" ] || mvn -q -DskipTests package
JVM=(java "${NODE_GC:--XX:+UseG1GC}" -Xmx1g --add-modules java.se --add-opens java.base/java.lang=ALL-UNNAMED
     --add-opens java.base/sun.nio.ch=ALL-UNNAMED --add-exports java.base/jdk.internal.ref=ALL-UNNAMED)
NODE=""
cleanup() { [ -n "$NODE" ] && kill "$NODE" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

start_node() {
  "${JVM[@]}" -jar "$JAR" node --id f1 --join none --seeds "" --http-port 18280 --n 1 --r 1 --w 1 \
    --data-dir "$WORK/f1" > "$WORK/node.log" 2>&1 &
  NODE=$!
  for _ in $(seq 1 120); do curl -sf -o /dev/null http://127.0.0.1:18280/ready && return 0; sleep 0.5; done
  echo "node not ready" >&2; cat "$WORK/node.log" >&2; exit 1
}

memory() {
  start_node
  python3 load-tests/feed_idle_subscribers.py --port 18280 --pid "$NODE" --count "$IDLE"
  kill "$NODE"; wait "$NODE" 2>/dev/null || true; NODE=""
}

slow() {
  start_node
  local bench=("${JVM[@]}" -jar "$JAR" bench --url http://127.0.0.1:18280 --duration "$DURATION" --connections 50
               --value-bytes 100 --read-ratio 0 --r 1 --w 1 --json)
  # Warm-up (not reported): until the JIT has compiled the write path, throughput climbs by 2x.
  # Half of it runs with a never-reading subscriber too, so the feed's code is compiled before the
  # first measured run that uses it (without that, the first pair measured the JIT: 0.62-0.74).
  "${bench[@]}" --warmup 30s > /dev/null 2>&1
  python3 load-tests/feed_idle_subscribers.py --port 18280 --pid "$NODE" --count 1 --prefix "" --hold 60 > /dev/null &
  local warm_holder=$!
  sleep 2
  "${bench[@]}" --warmup 15s > /dev/null 2>&1
  kill "$warm_holder" 2>/dev/null || true; wait "$warm_holder" 2>/dev/null || true
  # Alternating order (none/with, with/none, ...) so a drift over time (compaction, a growing
  # store) does not count as the subscriber's cost.
  local round=0
  for order in "none slow" "slow none" "none slow" "slow none"; do
    round=$((round + 1))
    for run in $order; do
      if [ "$run" = none ]; then
        echo "round $round: no subscriber" >&2
        "${bench[@]}" 2>/dev/null | jq -c --arg r "$round" '{round: $r, subscriber: "none", throughput, p99: .all.p99}'
      else
        python3 load-tests/feed_idle_subscribers.py --port 18280 --pid "$NODE" --count 1 --prefix "" --hold 60 > /dev/null &
        local holder=$!
        sleep 2
        echo "round $round: one subscriber to every key that never reads" >&2
        "${bench[@]}" 2>/dev/null | jq -c --arg r "$round" '{round: $r, subscriber: "never reads", throughput, p99: .all.p99}'
        kill "$holder" 2>/dev/null || true; wait "$holder" 2>/dev/null || true
      fi
    done
  done
  curl -s http://127.0.0.1:18280/metrics | grep -E '^ringkv_feed_events_(dropped|delivered)_total' >&2 || true
  kill "$NODE"; wait "$NODE" 2>/dev/null || true; NODE=""
}

latency() {
  mvn -q -o test-compile dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" -Dmdep.includeScope=test
  "${JVM[@]}" -Dphases=latency -cp "target/classes:target/test-classes:$(cat "$WORK/cp.txt")" \
    io.ringkv.feed.FeedLatencyBench 100 1000 10 2>&1 | grep -E '^LATENCY'
}

case "$WHAT" in
  memory) memory ;;
  slow) slow ;;
  latency) latency ;;
  all) memory; slow; latency ;;
  *) echo "usage: $0 [memory|slow|latency|all]" >&2; exit 2 ;;
esac
