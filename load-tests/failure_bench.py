#!/usr/bin/env python3
"""Failure-handling measurements for docs/failure-handling.md, on real node processes (loopback).

  python3 load-tests/failure_bench.py detect  [--trials 10]     # kill -9 / SIGSTOP -> down, SIGCONT -> up
  python3 load-tests/failure_bench.py soak    [--minutes 5]     # false suspicions under a closed-loop load
  python3 load-tests/failure_bench.py handoff [--seconds 20]    # hint delivery rate and client p99 meanwhile

Starts its own 3-node cluster (java -jar target/ringkv.jar node ..., G1, the default failure
detector unless --detector-flags says otherwise), prints one JSON line per result, stops everything.
"""
import argparse, json, os, shutil, signal, subprocess, sys, tempfile, time, urllib.request

JAR = "target/ringkv.jar"
JVM = ["java", "-XX:+UseG1GC", "-Xmx1g", "--add-modules", "java.se", "--add-opens", "java.base/java.lang=ALL-UNNAMED",
       "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED"]


def get(url, timeout=2.0):
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return r.read()


def send(method, url, body=None):
    req = urllib.request.Request(url, data=body, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=5) as r:
        return r.status


class Cluster:
    def __init__(self, size, base_http, base_cluster, extra):
        self.dir = tempfile.mkdtemp(prefix="ringkv-failure-")
        self.size, self.base_http, self.base_cluster, self.extra = size, base_http, base_cluster, extra
        self.procs = {}

    def http(self, i):
        return f"http://127.0.0.1:{self.base_http + i - 1}"

    def start(self, i):
        seeds = ",".join(f"127.0.0.1:{self.base_cluster + k}" for k in range(self.size))
        args = JVM + ["-jar", JAR, "node", "--id", f"n{i}", "--http-port", str(self.base_http + i - 1),
                      "--cluster-port", str(self.base_cluster + i - 1), "--seeds", seeds,
                      "--data-dir", os.path.join(self.dir, f"n{i}"), "--fault-injection", "true"] + self.extra
        log = open(os.path.join(self.dir, f"n{i}.log"), "a")
        self.procs[i] = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)

    def start_all(self):
        for i in range(1, self.size + 1):
            self.start(i)
        self.await_all_up()

    def status(self, viewer, member):
        try:
            for n in json.loads(get(self.http(viewer) + "/cluster"))["nodes"]:
                if n["id"] == member:
                    return n["status"]
        except Exception:
            return "unreachable"
        return "unknown"

    def ready(self, i):
        """/ready is 200 once the node has joined: then every node's ring lists all of them."""
        try:
            get(self.http(i) + "/ready")
            return True
        except Exception:
            return False

    def await_all_up(self, timeout=180):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if all(self.status(v, f"n{m}") == "up" for v in self.procs for m in self.procs) \
                    and all(self.ready(i) for i in self.procs):
                return
            time.sleep(0.2)
        raise SystemExit("cluster did not converge")

    def stop(self):
        for p in self.procs.values():
            if p.poll() is None:
                p.send_signal(signal.SIGCONT)
                p.kill()
        for p in self.procs.values():
            p.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


def until(predicate, timeout, step=0.02):
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if predicate():
            return (time.monotonic() - start) * 1000
        time.sleep(step)
    return None


def detect(c, trials):
    """kill -9 n3 -> down on n1 and n2; restart; SIGSTOP n3 -> down; SIGCONT -> up everywhere."""
    others = [1, 2]
    kill_ms, pause_ms, resume_ms = [], [], []
    for t in range(trials):
        c.procs[3].kill()
        c.procs[3].wait()
        kill_ms.append(until(lambda: all(c.status(v, "n3") == "down" for v in others), 30))
        c.start(3)
        c.await_all_up()
        time.sleep(1)
        c.procs[3].send_signal(signal.SIGSTOP)
        pause_ms.append(until(lambda: all(c.status(v, "n3") == "down" for v in others), 30))
        c.procs[3].send_signal(signal.SIGCONT)
        resume_ms.append(until(lambda: all(c.status(v, "n3") == "up" for v in others), 30))
        time.sleep(1)
        print(json.dumps({"trial": t + 1, "killToDownMs": kill_ms[-1], "pauseToDownMs": pause_ms[-1],
                          "resumeToUpMs": resume_ms[-1]}), flush=True)

    def summary(xs):
        xs = sorted(x for x in xs if x is not None)
        return {"p50": round(xs[len(xs) // 2]), "max": round(xs[-1]), "n": len(xs)} if xs else None
    print(json.dumps({"detect": {"killToDown": summary(kill_ms), "pauseToDown": summary(pause_ms),
                                 "resumeToUp": summary(resume_ms)}}), flush=True)


def transitions(c):
    counts = {}
    for i in c.procs:
        for line in get(c.http(i) + "/metrics").decode().splitlines():
            if line.startswith("ringkv_gossip_transitions_total{"):
                labels = line[line.index("{") + 1:line.index("}")]
                value = float(line.rsplit(" ", 1)[1])
                counts[f"n{i} {labels}"] = value
    return counts


def bench(c, seconds, extra):
    urls = ",".join(c.http(i) for i in c.procs)
    out = subprocess.run(JVM + ["-jar", JAR, "bench", "--url", urls, "--duration", f"{seconds}s", "--warmup", "5s",
                                "--json"] + extra, capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def soak(c, minutes):
    before = transitions(c)
    result = bench(c, int(minutes * 60), ["--connections", "50", "--read-ratio", "0.5"])
    after = transitions(c)
    changed = {k: after[k] - before.get(k, 0) for k in after if after[k] != before.get(k, 0)}
    print(json.dumps({"soak": {"minutes": minutes, "throughput": result["throughput"], "p99": result["all"]["p99"],
                               "errors": result["errorCount"], "detectorTransitions": changed}}), flush=True)


def pending(c, nodes):
    total = 0
    for i in nodes:
        total += sum(json.loads(get(c.http(i) + "/cluster/hints"))["pending"].values())
    return total


def handoff(c, seconds):
    """Cut n3 off, write for a while (n1, n2 keep hints for it), heal, and time the delivery."""
    baseline = bench(c, 20, ["--connections", "10", "--read-ratio", "0.5", "--rate", "1000", "--keys", "20000"])
    for i in (1, 2):
        send("POST", c.http(i) + "/cluster/faults", json.dumps({"drop": ["n3"]}).encode())
    send("POST", c.http(3) + "/cluster/faults", json.dumps({"drop": ["n1", "n2"]}).encode())
    until(lambda: c.status(1, "n3") == "down" and c.status(2, "n3") == "down", 30)
    urls = f"{c.http(1)},{c.http(2)}"
    subprocess.run(JVM + ["-jar", JAR, "bench", "--url", urls, "--duration", f"{seconds}s", "--warmup", "0s",
                          "--connections", "50", "--read-ratio", "0", "--keys", "1000000", "--json"],
                   capture_output=True, check=True)
    keys = pending(c, (1, 2))
    healed = time.monotonic()
    for i in (1, 2, 3):
        send("DELETE", c.http(i) + "/cluster/faults")
    during = subprocess.Popen(JVM + ["-jar", JAR, "bench", "--url", urls, "--duration", "20s", "--warmup", "0s",
                                     "--connections", "10", "--read-ratio", "0.5", "--rate", "1000", "--keys", "20000",
                                     "--prefill", "false", "--json"], stdout=subprocess.PIPE, text=True)
    done_ms = until(lambda: pending(c, (1, 2)) == 0, 600, step=0.1)
    client = json.loads(during.communicate()[0])
    print(json.dumps({"handoff": {"hintVersions": keys, "deliveredInMs": done_ms,
                                  "versionsPerSecond": round(keys / (done_ms / 1000)) if done_ms else None,
                                  "clientP99MsDuring": client["all"]["p99"], "clientP99MsBaseline":
                                  baseline["all"]["p99"], "clientErrorsDuring": client["errorCount"]}}), flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("what", choices=["detect", "soak", "handoff"])
    ap.add_argument("--trials", type=int, default=10)
    ap.add_argument("--minutes", type=float, default=5)
    ap.add_argument("--seconds", type=int, default=20)
    ap.add_argument("--base-http-port", type=int, default=18281)
    ap.add_argument("--base-cluster-port", type=int, default=15801)
    ap.add_argument("--node-flags", default="", help="extra node flags, e.g. '--down-after-ms 3000'")
    a = ap.parse_args()
    if not os.path.exists(JAR):
        subprocess.run(["mvn", "-q", "-DskipTests", "package"], check=True)
    c = Cluster(3, a.base_http_port, a.base_cluster_port, a.node_flags.split())
    try:
        c.start_all()
        {"detect": lambda: detect(c, a.trials), "soak": lambda: soak(c, a.minutes),
         "handoff": lambda: handoff(c, a.seconds)}[a.what]()
    finally:
        c.stop()


if __name__ == "__main__":
    main()
