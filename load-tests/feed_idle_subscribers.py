"""Memory per idle change-feed subscriber, measured on a real node process.

Opens COUNT WebSocket connections to /feed of one node (from this separate process), subscribes
each to a prefix, and reads the node's heap (after a full GC through jcmd) before and after.

  python3 load-tests/feed_idle_subscribers.py --port 18080 --pid <node pid> --count 5000
"""
import argparse
import base64
import json
import os
import re
import socket
import subprocess
import time
import urllib.request


def heap_used(port, pid):
    subprocess.run(["jcmd", str(pid), "GC.run"], check=True, capture_output=True)
    time.sleep(0.5)
    text = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics").read().decode()
    return sum(float(m.group(1)) for m in re.finditer(r'^jvm_memory_used_bytes\{area="heap".*\} (\S+)$', text, re.M))


def live_histogram(pid):
    """Live objects by class, after the full GC that GC.class_histogram runs: exact bytes, unlike
    the heap's used size, which ZGC counts in whole 2 MiB pages."""
    out = subprocess.run(["jcmd", str(pid), "GC.class_histogram"], check=True, capture_output=True, text=True).stdout
    classes = {}
    for m in re.finditer(r'^\s*\d+:\s+(\d+)\s+(\d+)\s+(\S+)', out, re.M):
        classes[m.group(3)] = (int(m.group(1)), int(m.group(2)))
    return classes


def frame(text):
    payload = text.encode()
    mask = os.urandom(4)
    masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    assert len(payload) < 126
    return bytes([0x81, 0x80 | len(payload)]) + mask + masked


def open_subscriber(port, prefix):
    s = socket.create_connection(("127.0.0.1", port))
    key = base64.b64encode(os.urandom(16)).decode()
    s.sendall((f"GET /feed HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
    response = b""
    while b"\r\n\r\n" not in response:
        response += s.recv(4096)
    if not response.startswith(b"HTTP/1.1 101"):
        raise RuntimeError(response[:80])
    s.sendall(frame(json.dumps({"type": "subscribe", "prefix": prefix})))
    return s


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("--count", type=int, default=5000)
    p.add_argument("--prefix", default=None, help="subscribe every connection to this prefix (default idle/N/)")
    p.add_argument("--hold", type=float, default=0,
                   help="keep the connections open this many seconds WITHOUT reading (a slow subscriber), then exit")
    args = p.parse_args()
    if args.hold > 0:
        sockets = [open_subscriber(args.port, args.prefix or "") for _ in range(args.count)]
        for s in sockets:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        print(json.dumps({"slowSubscribers": len(sockets), "holdSeconds": args.hold}), flush=True)
        time.sleep(args.hold)
        return
    before = heap_used(args.port, args.pid)
    histogram_before = live_histogram(args.pid)
    sockets = []
    try:
        for i in range(args.count):
            sockets.append(open_subscriber(args.port, args.prefix or f"idle/{i % 100}/"))
    except (OSError, RuntimeError) as e:
        print(f"stopped after {len(sockets)} subscribers: {e}")
    time.sleep(2)
    after = heap_used(args.port, args.pid)
    histogram_after = live_histogram(args.pid)
    n = max(1, len(sockets))
    per = (after - before) / n
    growth = {c: (histogram_after[c][0] - histogram_before.get(c, (0, 0))[0],
                  histogram_after[c][1] - histogram_before.get(c, (0, 0))[1]) for c in histogram_after}
    live_per = sum(b for _, b in growth.values()) / n
    top = sorted(growth.items(), key=lambda kv: -kv[1][1])[:int(os.environ.get('TOP_CLASSES', '15'))]
    print(json.dumps({"subscribers": len(sockets), "heapBeforeBytes": before, "heapAfterBytes": after,
                      "bytesPerIdleSubscriber": round(per), "liveBytesPerIdleSubscriber": round(live_per),
                      "topClassesPerSubscriber": [{"class": c, "instances": round(i / n, 2), "bytes": round(b / n)}
                                                  for c, (i, b) in top]}, indent=1))
    for s in sockets:
        s.close()


if __name__ == "__main__":
    main()
