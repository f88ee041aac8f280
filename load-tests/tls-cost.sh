#!/usr/bin/env bash
# What TLS and tokens cost: two single nodes started together, one plain and one with
# `--tls-cert/--tls-key` and `--auth-tokens`, measured in alternating closed-loop `ringkv bench`
# runs (ROUNDS pairs, plain first in odd pairs, secure first in even ones; 50 connections,
# 100-byte values, half reads, 10,000 keys). Prints one JSON line per run and secure/plain
# throughput per pair. The certificate is a fresh self-signed RSA-2048 one (`bench --insecure`).
#
#   load-tests/tls-cost.sh                    # from the project root; builds the jar if missing
#   ROUNDS=6 DURATION=30s load-tests/tls-cost.sh
# Needs java, openssl, python3. Loopback only.
set -euo pipefail
ROUNDS=${ROUNDS:-4}; DURATION=${DURATION:-20s}; WARMUP=${WARMUP:-20s}; CONNS=${CONNS:-50}
JAR=${JAR:-target/ringkv.jar}
[ -f "$JAR" ] || mvn -q -DskipTests package
D=$(mktemp -d /tmp/ringkv-tls.XXXXXX)
JVM=(java -XX:+UseG1GC -Xmx1g --add-modules java.se --add-opens java.base/java.lang=ALL-UNNAMED
     --add-opens java.base/sun.nio.ch=ALL-UNNAMED --add-exports java.base/jdk.internal.ref=ALL-UNNAMED)
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$D"' EXIT
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" \
  -keyout "$D/node.key" -out "$D/node.pem" 2>/dev/null
TOKEN=$(openssl rand -hex 32)
printf '{"tokens": [{"token": "%s", "roles": ["read", "write"]}]}\n' "$TOKEN" > "$D/tokens.json"
NODE=(node --join none --n 1 --r 1 --w 1 --durability async)
"${JVM[@]}" -jar "$JAR" "${NODE[@]}" --id plain --http-port 18601 --cluster-port 15961 --data-dir "$D/plain" \
  > "$D/plain.log" 2>&1 & PIDS+=($!)
"${JVM[@]}" -jar "$JAR" "${NODE[@]}" --id secure --http-port 18602 --cluster-port 15962 --data-dir "$D/secure" \
  --tls-cert "$D/node.pem" --tls-key "$D/node.key" --auth-tokens "$D/tokens.json" > "$D/secure.log" 2>&1 & PIDS+=($!)
for _ in $(seq 1 90); do [ "$(grep -l 'ready http' "$D"/*.log 2>/dev/null | wc -l)" = 2 ] && break; sleep 1; done
BENCH=(bench --connections "$CONNS" --value-bytes 100 --keys 10000 --read-ratio 0.5 --r 1 --w 1 --json)
run() { # plain|secure duration warmup
  if [ "$1" = plain ]; then
    "${JVM[@]}" -jar "$JAR" "${BENCH[@]}" --url http://127.0.0.1:18601 --duration "$2" --warmup "$3"
  else
    "${JVM[@]}" -jar "$JAR" "${BENCH[@]}" --url https://127.0.0.1:18602 --token "$TOKEN" --insecure \
      --duration "$2" --warmup "$3"
  fi
}
run plain 5s "$WARMUP" > /dev/null; run secure 5s "$WARMUP" > /dev/null
for r in $(seq 1 "$ROUNDS"); do
  if [ $((r % 2)) = 1 ]; then order="plain secure"; else order="secure plain"; fi
  for side in $order; do
    run "$side" "$DURATION" 3s | python3 -c "import json,sys; d=json.load(sys.stdin); d['run']='r$r-$side'; print(json.dumps(d))" \
      | tee -a "$D/results.jsonl"
  done
done
python3 - "$D/results.jsonl" <<'PY'
import json, sys
rows = {json.loads(l)["run"]: json.loads(l) for l in open(sys.argv[1])}
def ops(d):
    return next(d[k] for k in ("opsPerSec", "ops_per_sec", "throughput") if k in d)
ratios, r = [], 1
while f"r{r}-plain" in rows:
    ratios.append(ops(rows[f"r{r}-secure"]) / ops(rows[f"r{r}-plain"]))
    r += 1
print("secure/plain throughput: " + ", ".join(f"{x:.2f}" for x in ratios) + f"  mean {sum(ratios) / len(ratios):.2f}")
PY
