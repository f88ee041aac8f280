#!/usr/bin/env python3
"""Anti-entropy measurements for docs/anti-entropy.md, on 3 real node processes (loopback, N=3).

  python3 load-tests/ae_bench.py repair --keys 100000   # full pass, 0.1% divergence, wiped node
  python3 load-tests/ae_bench.py load   --keys 100000   # client throughput with and without passes
  python3 load-tests/ae_bench.py faults                 # kill, pause, partition with hints off

Nodes run with --hinted-handoff false (only anti-entropy repairs) and --anti-entropy-interval-ms 0
(passes only when this script asks). Prints one JSON line per result; stops everything at the end.

repair: prefills KEYS keys (100-byte values) through `ringkv bench`, times a pass between equal
  replicas, then SIGSTOPs n3, writes KEYS/1000 keys (half new, half overwrites), resumes it and
  times one pass on n3 (bytes, keys, CPU of every process, equal roots after). Then it kills n3,
  wipes its data dir and restarts it: the tree build at start-up and one pass that refills it
  (that pass's bytes are a full copy, the ratio's denominator).
load: alternates closed-loop `ringkv bench` runs (50 connections, 50% reads, against n1 and n2)
  without and with anti-entropy (passes back to back on every node): between equal replicas; after
  n3 missed 1% of the keys' writes; and after n3 was wiped (control: n3 restarted with its data).
faults: kill -9 n3, SIGSTOP n2, then a partition {n1} | {n2, n3}, writing between each; heals,
  runs one pass on every node, checks equal roots and that each node alone (the others cut off
  by fault injection) answers r=1 with every value acknowledged.
"""
import argparse, json, os, shutil, signal, subprocess, sys, tempfile, threading, time, urllib.error, urllib.request

JAR = "target/ringkv.jar"
JVM = ["java", "-XX:+UseG1GC", "-Xmx1g", "--add-modules", "java.se", "--add-opens", "java.base/java.lang=ALL-UNNAMED",
       "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED"]
TICKS = os.sysconf("SC_CLK_TCK")


def call(method, url, body=None, timeout=10.0):
    req = urllib.request.Request(url, data=body, method=method, headers={"Content-Type": "text/plain"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def jget(url):
    return json.loads(call("GET", url)[1])


class Cluster:
    def __init__(self, base_http, base_cluster, extra):
        self.dir = tempfile.mkdtemp(prefix="ringkv-ae-")
        self.base_http, self.base_cluster, self.extra = base_http, base_cluster, extra
        self.procs = {}

    def http(self, i):
        return f"http://127.0.0.1:{self.base_http + i - 1}"

    def start(self, i):
        seeds = ",".join(f"127.0.0.1:{self.base_cluster + k}" for k in range(3))
        profile = os.environ.get("AE_JFR_NODE") == str(i)  # e.g. AE_JFR_NODE=3: a flight recording of n3
        jfr = [f"-XX:StartFlightRecording=filename={self.dir}/../ringkv-ae-n{i}-{int(time.time())}.jfr,settings=profile"]
        args = JVM + (jfr if profile else []) + ["-jar", JAR, "node", "--id", f"n{i}", "--http-port", str(self.base_http + i - 1),
                      "--cluster-port", str(self.base_cluster + i - 1), "--seeds", seeds,
                      "--data-dir", os.path.join(self.dir, f"n{i}"), "--fault-injection", "true",
                      "--hinted-handoff", "false", "--anti-entropy-interval-ms", "0"] + self.extra
        log = open(self.log(i), "a")
        self.procs[i] = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)

    def log(self, i):
        return os.path.join(self.dir, f"n{i}.log")

    def status(self, viewer, member):
        try:
            for n in jget(self.http(viewer) + "/cluster")["nodes"]:
                if n["id"] == member:
                    return n["status"]
        except Exception:
            return "unreachable"
        return "unknown"

    def await_status(self, status, viewers, members, timeout=180):
        if until(lambda: all(self.status(v, f"n{m}") == status for v in viewers for m in members if v != m),
                 timeout, 0.1) is None:
            raise SystemExit(f"nodes {members} did not become {status} for {viewers}")

    def cpu_seconds(self):
        out = {}
        for i, p in self.procs.items():
            with open(f"/proc/{p.pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            out[i] = (int(fields[11]) + int(fields[12])) / TICKS
        return out

    def stop(self):
        for p in self.procs.values():
            if p.poll() is None:
                p.send_signal(signal.SIGCONT)
                p.send_signal(signal.SIGTERM)  # a clean stop (flight recordings are written then)
        for p in self.procs.values():
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
        for p in self.procs.values():
            p.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


def until(predicate, timeout, step=0.05):
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        try:
            if predicate():
                return (time.monotonic() - start) * 1000
        except Exception:
            pass
        time.sleep(step)
    return None


def ae(c, i):
    return jget(c.http(i) + "/cluster/antientropy")


def run_pass(c, i, timeout=1800):
    """One pass on node i; returns its lastPass, the CPU seconds of every process meanwhile, wall ms."""
    previous = ae(c, i)["lastPassFinishedMs"] or 0
    cpu0, t0 = c.cpu_seconds(), time.monotonic()
    status, body = call("POST", c.http(i) + "/cluster/antientropy/run")
    if status != 202:
        raise SystemExit(f"POST run on n{i}: {status} {body}")
    until(lambda: (lambda s: not s["running"] and (s["lastPassFinishedMs"] or 0) > previous)(ae(c, i)), timeout, 0.05)
    wall = (time.monotonic() - t0) * 1000
    cpu1 = c.cpu_seconds()
    return ae(c, i)["lastPass"], {f"n{k}": round(cpu1[k] - cpu0[k], 2) for k in cpu1}, round(wall)


def divergent(c, nodes=(1, 2, 3)):
    """Partitions whose roots differ between the given nodes (with N=3 on 3 nodes all are homes of all)."""
    roots = {}
    for i in nodes:
        for p in ae(c, i)["partitions"]:
            roots.setdefault(p["partition"], []).append(p["root"])
    partitions = jget(c.http(nodes[0]) + "/cluster/ring")["partitions"]
    return sorted(p for p in range(partitions)
                  if len(roots.get(p, [])) != len(nodes) or None in roots[p] or len(set(roots[p])) != 1)


def bench(c, nodes, seconds, extra):
    urls = ",".join(c.http(i) for i in nodes)
    out = subprocess.run(JVM + ["-jar", JAR, "bench", "--url", urls, "--duration", f"{seconds}s", "--json"] + extra,
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def prefill(c, keys):
    t0 = time.monotonic()
    bench(c, (1, 2, 3), 1, ["--keys", str(keys), "--prefill", "true", "--read-ratio", "1", "--warmup", "0s",
                            "--connections", "32", "--seed", "1"])
    return round(time.monotonic() - t0)


def tree_build_line(c, i):
    lines = [l for l in open(c.log(i)) if "Merkle trees over" in l]
    return lines[-1].split(" - ", 1)[1].strip() if lines else None


def restart_wiped(c, i):
    c.procs[i].kill()
    c.procs[i].wait()
    shutil.rmtree(os.path.join(c.dir, f"n{i}"))
    t0 = time.monotonic()
    c.start(i)
    c.await_status("up", (1, 2, 3), (1, 2, 3))
    until(lambda: call("GET", c.http(i) + "/ready")[0] == 200, 300, 0.1)
    until(lambda: (lambda t: t["ready"] > 0 and t["building"] == 0)(ae(c, i)["trees"]), 600, 0.1)
    return round((time.monotonic() - t0) * 1000)


def repair(c, keys):
    print(json.dumps({"prefill": {"keys": keys, "seconds": prefill(c, keys)}}), flush=True)
    until(lambda: all(ae(c, i)["trees"]["building"] == 0 for i in (1, 2, 3)), 600, 0.2)
    status = ae(c, 1)
    print(json.dumps({"trees": status["trees"], "treeBuildN1": tree_build_line(c, 1)}), flush=True)
    quiet, cpu, wall = run_pass(c, 1)
    print(json.dumps({"equalReplicasPass": {"keys": keys, "durationMs": quiet["durationMs"], "bytes": quiet["bytesExchanged"],
                                            "cpuSeconds": cpu, "exchanges": quiet["exchanges"]}}), flush=True)
    c.procs[3].send_signal(signal.SIGSTOP)
    c.await_status("down", (1, 2), (3,), 30)
    diverge = max(1, keys // 1000)
    for k in range(diverge):
        key = f"ae-new-{k}" if k % 2 == 0 else f"bench-{k * 7 % keys}"
        status_code, _ = call("PUT", c.http(1 + k % 2) + f"/kv/{key}", ("diverged %d" % k).encode())
        assert status_code == 204, status_code
    c.procs[3].send_signal(signal.SIGCONT)
    c.await_status("up", (1, 2, 3), (1, 2, 3), 30)
    before = divergent(c)
    t0 = time.monotonic()
    p, cpu, wall = run_pass(c, 3)
    converged = (time.monotonic() - t0) * 1000
    after = divergent(c)
    print(json.dumps({"divergedPass": {"keys": keys, "differingKeys": diverge, "partitionsDifferingBefore": len(before),
                                       "durationMs": p["durationMs"], "convergedMs": round(converged),
                                       "bytes": p["bytesExchanged"], "keysReceived": p["keysReceived"],
                                       "keysSent": p["keysSent"], "cpuSeconds": cpu,
                                       "partitionsDifferingAfter": len(after)}}), flush=True)
    # A restart with data: the trees are built again from range scans of every partition.
    c.procs[2].send_signal(signal.SIGTERM)
    c.procs[2].wait()
    c.start(2)
    c.await_status("up", (1, 2, 3), (1, 2, 3))
    until(lambda: call("GET", c.http(2) + "/ready")[0] == 200, 300, 0.1)
    until(lambda: (lambda t: t["ready"] > 0 and t["building"] == 0)(ae(c, 2)["trees"]), 600, 0.1)
    print(json.dumps({"restartWithData": {"keys": keys, "treeBuild": tree_build_line(c, 2)}}), flush=True)
    restart_ms = restart_wiped(c, 3)
    t0 = time.monotonic()
    w, cpu, wall = run_pass(c, 3)
    refill = (time.monotonic() - t0) * 1000
    after = divergent(c)
    raw = keys * (len("bench-99999") + 150)
    print(json.dumps({"wipedNode": {"keys": keys, "restartToTreesReadyMs": restart_ms, "treeBuild": tree_build_line(c, 3),
                                    "refillPassMs": round(refill), "bytes": w["bytesExchanged"],
                                    "keysReceived": w["keysReceived"], "cpuSeconds": cpu,
                                    "partitionsDifferingAfter": len(after)}}), flush=True)
    print(json.dumps({"bytesRatio": {"divergedPassBytes": p["bytesExchanged"], "fullCopyBytes": w["bytesExchanged"],
                                     "ratioPercent": round(100.0 * p["bytesExchanged"] / w["bytesExchanged"], 3),
                                     "approxRawDataBytes": raw}}), flush=True)


def passes_until(c, stop_at):
    """Passes back to back on every node until stop_at (monotonic)."""
    count = 0
    while time.monotonic() < stop_at:
        for i in (1, 2, 3):
            call("POST", c.http(i) + "/cluster/antientropy/run")
        until(lambda: not any(ae(c, i)["running"] for i in (1, 2, 3)), 600, 0.1)
        count += 1
    return count


def with_passes(c, seconds, args):
    """A bench run against n1 and n2 while passes run back to back on every node."""
    stop_at = time.monotonic() + seconds + 3
    done = {}
    t = threading.Thread(target=lambda: done.update(n=passes_until(c, stop_at)))
    t.start()
    result = bench(c, (1, 2), seconds, args)
    t.join()
    return result, done.get("n")


def row(kind, r, base, during, passes, c, received0):
    out = {"kind": kind, "round": r, "withoutOpsPerS": round(base["throughput"]),
           "withOpsPerS": round(during["throughput"]), "passes": passes,
           "dropPercent": round(100 * (1 - during["throughput"] / base["throughput"]), 1),
           "p99Without": base["all"]["p99"], "p99With": during["all"]["p99"], "errorsWith": during["errorCount"],
           "n3KeysReceived": ae(c, 3)["totals"]["keysReceived"] - received0,
           "partitionsDifferingAfter": len(divergent(c))}
    print(json.dumps({"load": out}), flush=True)


def restart(c, i):
    c.procs[i].send_signal(signal.SIGTERM)
    c.procs[i].wait()
    c.start(i)
    c.await_status("up", (1, 2, 3), (1, 2, 3))
    until(lambda: call("GET", c.http(i) + "/ready")[0] == 200, 300, 0.1)
    until(lambda: (lambda t: t["ready"] > 0 and t["building"] == 0)(ae(c, i)["trees"]), 600, 0.1)


def load(c, keys, seconds, rounds, wipe_rounds):
    """Closed-loop runs without and with anti-entropy, alternating, in three settings:
    equal: replicas agree, passes back to back on every node (tree comparisons only);
    diverged: n3 missed keys/100 writes (SIGSTOP, hints off); without: no pass, with: passes repair it;
    wiped: n3 restarted with its data (without) or wiped (with: the passes refill it); passes in both,
      so both runs pay for a freshly started n3."""
    prefill(c, keys)
    until(lambda: all(ae(c, i)["trees"]["building"] == 0 for i in (1, 2, 3)), 600, 0.2)
    args = ["--keys", str(keys), "--prefill", "false", "--read-ratio", "0.5", "--connections", "50",
            "--warmup", "3s"]
    for r in range(rounds):
        base = bench(c, (1, 2), seconds, args)
        received0 = ae(c, 3)["totals"]["keysReceived"]
        during, passes = with_passes(c, seconds, args)
        row("equal", r + 1, base, during, passes, c, received0)
    for r in range(rounds):
        c.procs[3].send_signal(signal.SIGSTOP)
        c.await_status("down", (1, 2), (3,), 30)
        for k in range(keys // 100):
            call("PUT", c.http(1 + k % 2) + f"/kv/bench-{(k * 97 + r) % keys}", b"missed by n3")
        c.procs[3].send_signal(signal.SIGCONT)
        c.await_status("up", (1, 2, 3), (1, 2, 3))
        base = bench(c, (1, 2), seconds, args)
        received0 = ae(c, 3)["totals"]["keysReceived"]
        during, passes = with_passes(c, seconds, args)
        row("diverged", r + 1, base, during, passes, c, received0)
    for r in range(wipe_rounds):
        restart(c, 3)
        base, _ = with_passes(c, seconds, args)
        restart_wiped(c, 3)
        during, passes = with_passes(c, seconds, args)
        row("wiped", r + 1, base, during, passes, c, 0)


def isolate(c, i, cut):
    for k in (1, 2, 3):
        if not cut:
            call("DELETE", c.http(k) + "/cluster/faults")
        else:
            drop = [f"n{m}" for m in (1, 2, 3) if m != k] if k == i else [f"n{i}"]
            call("POST", c.http(k) + "/cluster/faults", json.dumps({"drop": drop}).encode())


def faults(c):
    acked = {}

    def write(tag, via, n, w=2):
        for k in range(n):
            key, value = f"f-{tag}-{k}", f"{tag} {k}"
            s, _ = call("PUT", c.http(via[k % len(via)]) + f"/kv/{key}?w={w}", value.encode())
            if s == 204:
                acked[key] = value

    write("before", (1, 2, 3), 300)
    c.procs[3].kill()
    c.procs[3].wait()
    c.await_status("down", (1, 2), (3,), 30)
    write("kill", (1, 2), 300)
    c.start(3)
    c.await_status("up", (1, 2, 3), (1, 2, 3))
    c.procs[2].send_signal(signal.SIGSTOP)
    c.await_status("down", (1, 3), (2,), 30)
    write("pause", (1, 3), 300)
    c.procs[2].send_signal(signal.SIGCONT)
    c.await_status("up", (1, 2, 3), (1, 2, 3))
    isolate(c, 1, True)
    c.await_status("down", (2, 3), (1,), 30)
    write("partition-minority", (1,), 150, w=1)
    write("partition-majority", (2, 3), 150)
    isolate(c, 1, False)
    c.await_status("up", (1, 2, 3), (1, 2, 3))
    before = divergent(c)
    for i in (1, 2, 3):
        run_pass(c, i)
    after = divergent(c)
    missing = {}
    for i in (1, 2, 3):
        isolate(c, i, True)
        c.await_status("down", (i,), tuple(m for m in (1, 2, 3) if m != i), 30)
        bad = [k for k, v in acked.items() if call("GET", c.http(i) + f"/kv/{k}?r=1")[1].decode() != v]
        missing[f"n{i}"] = len(bad)
        isolate(c, i, False)
        c.await_status("up", (1, 2, 3), (1, 2, 3))
    print(json.dumps({"faults": {"acknowledged": len(acked), "partitionsDifferingBeforePass": len(before),
                                 "partitionsDifferingAfterOnePassEach": len(after), "missingOnNodeAlone": missing}}),
          flush=True)
    return not after and not any(missing.values())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("what", choices=["repair", "load", "faults"])
    ap.add_argument("--keys", type=int, default=100_000)
    ap.add_argument("--seconds", type=int, default=20)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--wipe-rounds", type=int, default=2)
    ap.add_argument("--base-http-port", type=int, default=18381)
    ap.add_argument("--base-cluster-port", type=int, default=15901)
    ap.add_argument("--node-flags", default="", help="extra node flags, e.g. '--anti-entropy-bytes-per-second 8388608'")
    a = ap.parse_args()
    if not os.path.exists(JAR):
        subprocess.run(["mvn", "-q", "-DskipTests", "package"], check=True)
    c = Cluster(a.base_http_port, a.base_cluster_port, a.node_flags.split())
    ok = True
    try:
        for i in (1, 2, 3):
            c.start(i)
        c.await_status("up", (1, 2, 3), (1, 2, 3))
        until(lambda: all(n.get("membership") == "member" for n in jget(c.http(1) + "/cluster")["nodes"])
              and jget(c.http(1) + "/cluster")["ring"]["pending"] == 0
              and len({json.dumps(jget(c.http(i) + "/cluster/ring")["owners"]) for i in (1, 2, 3)}) == 1, 300, 0.5)
        until(lambda: all(ae(c, i)["trees"]["building"] == 0 for i in (1, 2, 3)), 120, 0.2)
        if a.what == "repair":
            repair(c, a.keys)
        elif a.what == "load":
            load(c, a.keys, a.seconds, a.rounds, a.wipe_rounds)
        else:
            ok = faults(c)
    finally:
        c.stop()
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
