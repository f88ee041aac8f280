#!/usr/bin/env python3
"""Multi-DC measurements for docs/multi-dc.md, on real node processes (loopback).

  python3 load-tests/multidc_bench.py lag       [--seconds 20] [--warmup 30] [--read-ratio 0]   # 2 DCs x 3, WAN delay 50 ms, 500 and 2,000 writes/s
  python3 load-tests/multidc_bench.py converge  [--keys 100000] [--hints false]  # dc2 cut off while dc1 takes KEYS writes, then healed

lag: a one-DC cluster of 3 nodes (the baseline "without a remote DC"), then 2 DCs x 3 nodes
  (--replication dc1:3,dc2:3) without and with 50 ms added each way between the DCs (fault
  injection on dc1's side: a node's delayMs acts on what it sends to and receives from those
  nodes). At each rate an open-loop `ringkv bench` of writes (w=local_quorum) against dc1's nodes.
  Reports the client p50/p99, the cross-DC lag from the nodes' histograms
  (ringkv_dc_replication_lag_seconds, the difference over the run: the time from the local store
  until the relay confirmed dc2 stored it, so it includes the reply's way back), and WAN messages
  per write (relay batches to dc2, each a request and a reply, over the writes shipped).
converge: cuts dc1 from dc2 (drop both ways), writes KEYS new keys to dc1 at local_quorum, heals,
  and times until dc2 holds them: the hints drained, and one anti-entropy pass on every node
  (equal roots after it). With --hints false the nodes run without hinted handoff, so the pass
  itself copies every key to dc2 (anti-entropy alone, at its 1 MiB/s budget per node).
Prints one JSON line per result; stops every process at the end.
"""
import argparse, json, os, re, shutil, signal, subprocess, tempfile, time, urllib.error, urllib.request

JAR = "target/ringkv.jar"
JVM = ["java", "-XX:+UseG1GC", "-Xmx512m", "--add-modules", "java.se", "--add-opens", "java.base/java.lang=ALL-UNNAMED",
       "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED"]


def call(method, url, body=None, timeout=10.0):
    req = urllib.request.Request(url, data=body, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def jget(url):
    return json.loads(call("GET", url)[1])


def until(predicate, timeout, step=0.1):
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        try:
            if predicate():
                return (time.monotonic() - start) * 1000
        except Exception:
            pass
        time.sleep(step)
    return None


class Cluster:
    """Nodes n1..nK; with dcs, n1..n3 are dc1 and n4..n6 dc2."""

    def __init__(self, size, dcs, base_http, base_cluster, extra=()):
        self.dir = tempfile.mkdtemp(prefix="ringkv-dc-")
        self.size, self.dcs, self.base_http, self.base_cluster = size, dcs, base_http, base_cluster
        self.extra = list(extra)
        self.procs = {}

    def http(self, i):
        return f"http://127.0.0.1:{self.base_http + i - 1}"

    def start_all(self):
        seeds = ",".join(f"127.0.0.1:{self.base_cluster + k}" for k in range(self.size))
        for i in range(1, self.size + 1):
            extra = ["--n", "3"]
            if self.dcs:
                extra = ["--replication", "dc1:3,dc2:3", "--dc", "dc1" if i <= 3 else "dc2"]
            args = JVM + ["-jar", JAR, "node", "--id", f"n{i}", "--http-port", str(self.base_http + i - 1),
                          "--cluster-port", str(self.base_cluster + i - 1), "--seeds", seeds,
                          "--data-dir", os.path.join(self.dir, f"n{i}"), "--fault-injection", "true",
                          "--anti-entropy-interval-ms", "0", "--http-instances", "1"] + extra + self.extra
            self.procs[i] = subprocess.Popen(args, stdout=open(os.path.join(self.dir, f"n{i}.log"), "a"),
                                             stderr=subprocess.STDOUT)
        nodes = range(1, self.size + 1)
        if until(lambda: all(sum(1 for n in jget(self.http(v) + "/cluster")["nodes"]
                                 if n["status"] == "up" and n.get("membership") == "member") == self.size
                             for v in nodes), 300, 0.5) is None:
            raise SystemExit("cluster did not converge")

    def faults(self, i, plan):
        status, body = call("POST", self.http(i) + "/cluster/faults", json.dumps(plan).encode())
        if status != 200:
            raise SystemExit(f"faults on n{i}: {status} {body}")

    def heal(self):
        for i in self.procs:
            call("DELETE", self.http(i) + "/cluster/faults")

    def stop(self):
        for p in self.procs.values():
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in self.procs.values():
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
        shutil.rmtree(self.dir, ignore_errors=True)


def bench(urls, seconds, rate, level, keys=100000, read_ratio="0"):
    run = subprocess.run(JVM + ["-jar", JAR, "bench", "--url", ",".join(urls), "--duration", f"{seconds}s", "--json",
                                "--rate", str(rate), "--read-ratio", read_ratio, "--w", level, "--r", level,
                                "--keys", str(keys), "--connections", "64", "--prefill", "false"],
                         capture_output=True, text=True)
    if not run.stdout.strip().startswith("{"):
        raise SystemExit("bench failed: " + run.stdout[-2000:] + run.stderr[-2000:])
    return json.loads(run.stdout)


def prefill(urls, keys):
    """Writes every key bench-0..keys-1 once (local_quorum), then a one-second read run."""
    out = subprocess.run(JVM + ["-jar", JAR, "bench", "--url", ",".join(urls), "--duration", "1s", "--json",
                                "--read-ratio", "1", "--w", "local_quorum", "--r", "local_quorum", "--keys", str(keys),
                                "--connections", "32", "--prefill", "true", "--warmup", "0s", "--seed", "1"],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)


METRIC = re.compile(r'^(ringkv_dc_replication_lag_seconds_bucket|ringkv_dc_relay_batches_total|ringkv_dc_relay_writes_total)'
                    r'\{([^}]*)\} ([0-9.eE+-]+)$')


def scrape(c, nodes):
    """Sum over nodes: lag buckets (le -> count) and relay counters, for dc2."""
    buckets, counters = {}, {"batches": 0.0, "writes": 0.0}
    for i in nodes:
        for line in call("GET", c.http(i) + "/metrics")[1].decode().splitlines():
            m = METRIC.match(line)
            if not m or 'dc="dc2"' not in m.group(2):
                continue
            if m.group(1).endswith("_bucket"):
                le = re.search(r'le="([^"]+)"', m.group(2)).group(1)
                buckets[le] = buckets.get(le, 0.0) + float(m.group(3))
            elif "batches" in m.group(1):
                counters["batches"] += float(m.group(3))
            else:
                counters["writes"] += float(m.group(3))
    return buckets, counters


def percentile(before, after, q):
    """Upper bound (ms) of the bucket holding the q-quantile of the samples added between two scrapes."""
    les = sorted((float("inf") if k == "+Inf" else float(k), k) for k in after)
    total = after.get("+Inf", 0) - before.get("+Inf", 0)
    if total <= 0:
        return None
    for value, key in les:
        if after[key] - before.get(key, 0) >= q * total:
            return round(value * 1000, 1)
    return None


def lag_run(c, label, rate, seconds, read_ratio, dc_nodes=(1, 2, 3)):
    urls = [c.http(i) for i in dc_nodes]
    b0, c0 = scrape(c, dc_nodes) if c.dcs else ({}, {})
    result = bench(urls, seconds, rate, "local_quorum" if c.dcs else "2", read_ratio=read_ratio)
    line = {"run": label, "rate": rate, "throughput": result["throughput"], "errors": result["errorCount"],
            "errorKinds": result.get("errors", {}), "p50ms": result["all"]["p50"], "p99ms": result["all"]["p99"]}
    if c.dcs:
        time.sleep(2)  # the last batches land
        b1, c1 = scrape(c, dc_nodes)
        shipped = c1["writes"] - c0["writes"]
        batches = c1["batches"] - c0["batches"]
        line.update({"lagP50ms": percentile(b0, b1, 0.5), "lagP99ms": percentile(b0, b1, 0.99),
                     "writesShipped": int(shipped), "relayBatches": int(batches),
                     "wanMessagesPerWrite": round(2 * batches / shipped, 3) if shipped else None,
                     "clusterView": jget(c.http(1) + "/cluster")["replicationLagMs"]})
    print(json.dumps(line), flush=True)


def warm_up(c, seconds, dc_nodes=(1, 2, 3)):
    """The same load, unmeasured, so the JVMs are measured after the JIT compiler has finished."""
    if seconds > 0:
        bench([c.http(i) for i in dc_nodes], seconds, 2000, "local_quorum" if c.dcs else "2")


def lag(args):
    one = Cluster(3, False, 18081, 15801)
    try:
        one.start_all()
        warm_up(one, args.warmup)
        for rate in (500, 2000):
            lag_run(one, "one DC, 3 nodes", rate, args.seconds, args.read_ratio)
    finally:
        one.stop()
    two = Cluster(6, True, 18181, 15901)
    try:
        two.start_all()
        warm_up(two, args.warmup)
        for rate in (500, 2000):
            lag_run(two, "2 DCs x 3, no delay", rate, args.seconds, args.read_ratio)
        for i in (1, 2, 3):
            two.faults(i, {"delayMs": {"n4": 50, "n5": 50, "n6": 50}})
        for rate in (500, 2000):
            lag_run(two, "2 DCs x 3, 50 ms each way between the DCs", rate, args.seconds, args.read_ratio)
    finally:
        two.stop()


def divergent(c):
    roots = {}
    for i in c.procs:
        for p in jget(c.http(i) + "/cluster/antientropy")["partitions"]:
            roots.setdefault(p["partition"], set()).add(p["root"])
    return sorted(p for p, r in roots.items() if len(r) != 1 or None in r)


def run_pass_everywhere(c):
    since = int(time.time() * 1000)
    for i in c.procs:
        call("POST", c.http(i) + "/cluster/antientropy/run")
    until(lambda: all((lambda s: not s["running"] and (s["lastPassFinishedMs"] or 0) >= since)(
        jget(c.http(i) + "/cluster/antientropy")) for i in c.procs), 1800, 0.5)
    return sum(jget(c.http(i) + "/cluster/antientropy")["totals"]["keysReceived"] for i in c.procs)


def converge(args):
    c = Cluster(6, True, 18281, 16001, [] if args.hints else ["--hinted-handoff", "false"])
    try:
        c.start_all()
        for i in (1, 2, 3):
            c.faults(i, {"drop": ["n4", "n5", "n6"]})
        for i in (4, 5, 6):
            c.faults(i, {"drop": ["n1", "n2", "n3"]})
        until(lambda: all(n["status"] == "down" for n in jget(c.http(1) + "/cluster")["nodes"]
                          if n["id"] in ("n4", "n5", "n6")), 60)
        t0 = time.monotonic()
        result = prefill([c.http(i) for i in (1, 2, 3)], args.keys)
        wrote = round(time.monotonic() - t0)
        hints_before = sum(sum(jget(c.http(i) + "/cluster/hints")["pending"].values()) for i in (1, 2, 3))
        healed = time.monotonic()
        c.heal()
        drained = until(lambda: sum(sum(jget(c.http(i) + "/cluster/hints")["pending"].values())
                                    for i in c.procs) == 0, 1800, 0.5)
        received_before = sum(jget(c.http(i) + "/cluster/antientropy")["totals"]["keysReceived"] for i in c.procs)
        received_after = run_pass_everywhere(c)
        converged = (time.monotonic() - healed) * 1000
        print(json.dumps({"run": "converge" + ("" if args.hints else " (hints off: anti-entropy only)"), "keysWritten": args.keys, "writeErrors": result["prefillErrors"],
                          "writeSeconds": wrote, "hintsPendingAtHeal": hints_before,
                          "hintsDrainedMs": None if drained is None else round(drained),
                          "healToEqualRootsMs": round(converged),
                          "keysRepairedByAntiEntropy": received_after - received_before,
                          "divergentPartitions": len(divergent(c))}), flush=True)
    finally:
        c.stop()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=["lag", "converge"])
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=30, help="lag: seconds of unmeasured load per cluster first")
    parser.add_argument("--read-ratio", default="0", help="lag: share of reads (local_quorum) in the measured load")
    parser.add_argument("--keys", type=int, default=100000)
    parser.add_argument("--hints", choices=["true", "false"], default="true",
                        help="converge: false starts the nodes with --hinted-handoff false (anti-entropy alone)")
    args = parser.parse_args()
    args.hints = args.hints == "true"
    {"lag": lag, "converge": converge}[args.what](args)


if __name__ == "__main__":
    main()
