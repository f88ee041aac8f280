#!/usr/bin/env python3
"""Sums the wrk outputs of one measurement (one file per wrk process) and prints one JSON line:
{"name", "rps", "p50_ms", "p99_ms", "non2xx", "errors"}; p50/p99 are the worst of the processes.
With CPU_TICKS (the servers' CPU time over the run, in clock ticks of TICKS_PER_S) in the
environment it adds "node_cpu_us_per_req", that time divided by the requests answered.
The same line as the outside comparison script prints, so both runs can be read together."""
import json
import os
import re
import sys


def ms(s):
    v = float(re.match(r"([\d.]+)", s).group(1))
    if s.endswith("us"):
        return v / 1000
    if s.endswith("ms"):
        return v
    if s.endswith("s"):
        return v * 1000
    return v


name, files = sys.argv[1], sys.argv[2:]
rps, p50, p99, non2xx, errors, requests, seconds = 0.0, [], [], 0, 0, 0, 0.0
for f in files:
    t = open(f).read()
    rps += float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
    m = re.search(r"(\d+) requests in ([\d.]+)(m|s)", t)
    requests += int(m.group(1))
    p50.append(ms(re.search(r"^\s+50%\s+(\S+)", t, re.M).group(1)))  # anchored: Req/Sec lines hold "NN.50%" too
    p99.append(ms(re.search(r"^\s+99%\s+(\S+)", t, re.M).group(1)))
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", t)
    non2xx += int(m.group(1)) if m else 0
    m = re.search(r"Socket errors: (.*)", t)
    errors += sum(int(x) for x in re.findall(r"\d+", m.group(1))) if m else 0
row = {"name": name, "rps": round(rps), "p50_ms": max(p50), "p99_ms": max(p99), "non2xx": non2xx, "errors": errors}
if os.environ.get("CPU_TICKS") and requests:
    cpu_s = int(os.environ["CPU_TICKS"]) / int(os.environ.get("TICKS_PER_S", "100"))
    row["node_cpu_us_per_req"] = round(cpu_s * 1e6 / requests, 1)
print(json.dumps(row))
