#!/usr/bin/env python3
"""Join measurements for docs/membership.md, on real node processes (loopback, N=3, R=2, W=2).

  python3 load-tests/join_bench.py --keys 1000000            # the documented run
  python3 load-tests/join_bench.py --keys 200000 --rate 300  # a quicker one

Forms a 3-node cluster, stops it, writes KEYS keys (100-byte values) into each node's data dir with
`ringkv fill` (so every node holds every key, as N=3 on 3 nodes does), restarts it and waits until
each node has built its Merkle trees. Then:
  baseline: `ringkv bench` windows of WINDOW seconds at a fixed rate (open loop, 50% reads, r=2
            w=2, the filled keys) against n1..n3, without any change running;
  join:     starts n4 with an empty data dir and the same windows, back to back, until the join
            has ended. Polls /cluster/ring on n1 (every 250 ms) for the copies' progress.
Prints one JSON line per window and a summary: keys and bytes copied (the copies' own counts as
n1 reports them, and the keys n4 holds, counted by its Merkle tree build after a restart), copy
rate (keys/s, MB/s) from the first poll with a copy moving to the last, time from starting n4
until it owns its share, and client p50/p99 per window with and without the join. Stops
everything at the end and deletes the data dirs (--keep to keep them).
"""
import argparse, json, os, shutil, signal, subprocess, sys, tempfile, threading, time, urllib.error, urllib.request

JAR = "target/ringkv.jar"
JVM = ["java", "-XX:+UseG1GC", "-Xmx1g", "--add-modules", "java.se", "--add-opens", "java.base/java.lang=ALL-UNNAMED",
       "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED"]


def jget(url, timeout=5.0):
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return json.loads(r.read())


def until(predicate, timeout, step=0.1):
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        try:
            if predicate():
                return True
        except Exception:
            pass
        time.sleep(step)
    return False


class Cluster:
    def __init__(self, base_http, base_cluster, extra, keep):
        self.dir = tempfile.mkdtemp(prefix="ringkv-join-")
        self.base_http, self.base_cluster, self.extra, self.keep = base_http, base_cluster, extra, keep
        self.procs = {}

    def http(self, i):
        return f"http://127.0.0.1:{self.base_http + i - 1}"

    def data(self, i):
        return os.path.join(self.dir, f"n{i}")

    def log(self, i):
        return os.path.join(self.dir, f"n{i}.log")

    def start(self, i):
        seeds = ",".join(f"127.0.0.1:{self.base_cluster + k}" for k in range(3))
        args = JVM + ["-jar", JAR, "node", "--id", f"n{i}", "--http-port", str(self.base_http + i - 1),
                      "--cluster-port", str(self.base_cluster + i - 1), "--seeds", seeds, "--data-dir", self.data(i),
                      "--n", "3", "--r", "2", "--w", "2", "--anti-entropy-interval-ms", "0"] + self.extra
        self.procs[i] = subprocess.Popen(args, stdout=open(self.log(i), "a"), stderr=subprocess.STDOUT)

    def stop(self, i):
        p = self.procs.pop(i)
        p.send_signal(signal.SIGTERM)
        p.wait(timeout=60)

    def view(self, i):
        return jget(self.http(i) + "/cluster")

    def settled(self, nodes):
        """Every node sees every one of them up and a member, nothing moving, one ring version."""
        versions = set()
        for i in nodes:
            v = self.view(i)
            states = {n["id"]: (n["status"], n.get("membership")) for n in v["nodes"]}
            if v["ring"]["pending"] != 0 or any(states.get(f"n{m}") != ("up", "member") for m in nodes):
                return False
            versions.add(v["ring"]["version"])
        return len(versions) == 1

    def trees_built(self, i):
        return bool(tree_lines(self, i))

    def close(self):
        for p in self.procs.values():
            p.send_signal(signal.SIGTERM)
        for p in self.procs.values():
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
        if not self.keep:
            shutil.rmtree(self.dir, ignore_errors=True)


def bench(c, nodes, seconds, args):
    urls = ",".join(c.http(i) for i in nodes)
    out = subprocess.run(JVM + ["-Xmx256m", "-jar", JAR, "bench", "--url", urls, "--duration", f"{seconds}s",
                                "--json", "--warmup", "0s"] + args, capture_output=True, text=True, check=True).stdout
    r = json.loads(out)
    return {"ops": r["ops"], "errors": r["errorCount"], "throughput": r["throughput"], "p50": r["all"]["p50"],
            "p99": r["all"]["p99"], "max": r["all"]["max"]}


def prepare(c, keys):
    for i in (1, 2, 3):
        c.start(i)
    if not until(lambda: c.settled((1, 2, 3)), 300, 0.5):
        raise SystemExit(f"the 3 nodes did not form a cluster; logs in {c.dir}")
    for i in (1, 2, 3):
        c.stop(i)
    t0 = time.monotonic()
    for i in (1, 2, 3):
        subprocess.run(JVM + ["-jar", JAR, "fill", "--data-dir", c.data(i), "--keys", str(keys), "--value-bytes", "100"],
                       check=True, capture_output=True)
    fill_s = time.monotonic() - t0
    for i in (1, 2, 3):
        c.start(i)
    if not until(lambda: c.settled((1, 2, 3)) and all(c.trees_built(i) for i in (1, 2, 3)), 600, 0.5):
        raise SystemExit(f"the filled cluster did not come back; logs in {c.dir}")
    print(json.dumps({"prepared": {"keys": keys, "fillSeconds": round(fill_s, 1)}}), flush=True)


class Progress(threading.Thread):
    """Polls n1's /cluster/ring: the largest keysSent/bytesSent totals seen, and when copies ran."""

    def __init__(self, c):
        super().__init__(daemon=True)
        self.c, self.stop, self.first, self.last = c, False, None, None
        self.sent = {}  # (partition, to) -> largest (keysSent, bytesSent) seen

    @property
    def copies(self):
        return len(self.sent)

    @property
    def keys(self):
        return sum(k for k, _ in self.sent.values())

    @property
    def bytes(self):
        return sum(b for _, b in self.sent.values())

    def run(self):
        while not self.stop:
            try:
                ring = jget(self.c.http(1) + "/cluster/ring")
                moving = ring["moving"]
                if moving:
                    now = time.monotonic()
                    self.first = self.first or now
                    self.last = now
                    for m in moving:
                        key = (m["partition"], m["to"])
                        k, b = self.sent.get(key, (0, 0))
                        self.sent[key] = (max(k, m["keysSent"]), max(b, m["bytesSent"]))
            except Exception:
                pass
            time.sleep(0.25)


def tree_lines(c, i):
    return [line for line in open(c.log(i)) if "Merkle trees over" in line]


def keys_after_restart(c, i):
    """The keys node i holds: it is restarted and its Merkle tree build at start-up counts them."""
    c.stop(i)
    before = len(tree_lines(c, i))
    c.start(i)
    if not until(lambda: len(tree_lines(c, i)) > before, 300, 0.5):
        return None
    return int(tree_lines(c, i)[-1].split("Merkle trees over ", 1)[1].split()[0])


def measure(c, keys, rate, window, baseline_windows):
    args = ["--keys", str(keys), "--prefill", "false", "--read-ratio", "0.5", "--rate", str(rate),
            "--connections", "32", "--r", "2", "--w", "2", "--seed", "7"]
    base = []
    for _ in range(baseline_windows):
        base.append(bench(c, (1, 2, 3), window, args))
        print(json.dumps({"baseline": base[-1]}), flush=True)
    progress = Progress(c)
    progress.start()
    started = time.monotonic()
    c.start(4)
    during = []
    done = None
    while done is None:
        w0 = time.monotonic() - started
        r = bench(c, (1, 2, 3), window, args)
        r["fromStartS"] = round(w0, 1)
        during.append(r)
        print(json.dumps({"join": r}), flush=True)
        if c.settled((1, 2, 3, 4)):
            done = time.monotonic()
        if time.monotonic() - started > 1800:
            raise SystemExit("the join did not end within 30 minutes")
    until(lambda: c.settled((1, 2, 3, 4)), 60, 0.1)
    done = time.monotonic()
    progress.stop = True
    progress.join()
    copy_s = (progress.last - progress.first) if progress.first else None
    owned = jget(c.http(1) + "/cluster/ring")["owners"].count("n4")
    stored = jget(c.http(4) + "/cluster")
    n4_keys = keys_after_restart(c, 4)
    summary = {
        "keys": keys, "rate": rate, "window": window,
        "copies": progress.copies, "keysCopied": progress.keys, "bytesCopied": progress.bytes,
        "copySeconds": round(copy_s, 1) if copy_s else None,
        "keysPerSecond": round(progress.keys / copy_s) if copy_s else None,
        "MBPerSecond": round(progress.bytes / copy_s / 1e6, 2) if copy_s else None,
        "n4KeysAfterRestart": n4_keys,
        "secondsUntilN4OwnsItsShare": round(done - started, 1), "n4Partitions": owned,
        "ringVersion": stored["ring"]["version"],
        "baselineP99": [b["p99"] for b in base], "joinP99": [d["p99"] for d in during],
        "baselineP50": [b["p50"] for b in base], "joinP50": [d["p50"] for d in during],
        "joinErrors": sum(d["errors"] for d in during), "baselineErrors": sum(b["errors"] for b in base),
    }
    print(json.dumps({"summary": summary}), flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--keys", type=int, default=1_000_000)
    ap.add_argument("--rate", type=int, default=400, help="client ops/s during every window (default 400)")
    ap.add_argument("--window", type=int, default=10, help="seconds per bench window (default 10)")
    ap.add_argument("--baseline-windows", type=int, default=3)
    ap.add_argument("--base-http", type=int, default=18481)
    ap.add_argument("--base-cluster", type=int, default=16481)
    ap.add_argument("--node-flags", default="", help="extra node flags, e.g. '--transfer-bytes-per-second 8388608'")
    ap.add_argument("--keep", action="store_true", help="keep the data dirs and logs")
    a = ap.parse_args()
    if not os.path.isfile(JAR):
        raise SystemExit(f"{JAR} is missing: mvn -B -DskipTests package")
    c = Cluster(a.base_http, a.base_cluster, a.node_flags.split(), a.keep)
    try:
        prepare(c, a.keys)
        measure(c, a.keys, a.rate, a.window, a.baseline_windows)
    finally:
        c.close()
        if a.keep:
            print(json.dumps({"dir": c.dir}), flush=True)


if __name__ == "__main__":
    main()
