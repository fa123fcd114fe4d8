#!/usr/bin/env python3
"""Peak memory of the release server on the worst input shapes, up to the body limit.

Starts `news-annotator serve` (default flags unless given after `--`), sends each shape
at the body limit and at half of it, one at a time, and prints the status, the answer's
size, the time taken and the server's peak RSS while it answered (VmHWM, reset before
each request through /proc/PID/clear_refs). Then sends the worst shape from `--workers`
clients at once, to show what the process peaks at when every worker holds one. The
README's sizing note quotes this script's output.

    python3 scripts/sizing.py                     # builds nothing: needs target/release
    python3 scripts/sizing.py --limit 512KiB --max-text 256KiB -- --body-limit 512KiB --max-text 256KiB
    python3 scripts/sizing.py --shapes he-said,html-p
    python3 scripts/sizing.py --max-peak 480MiB   # CI: exit 1 past it
"""
import argparse
import http.client
import json
import os
import random
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "news-annotator")


def parse_size(s):
    s = s.strip()
    for unit, f in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if s.endswith(unit):
            return int(float(s[: -len(unit)]) * f)
    return int(s)


def names(n):
    rnd = random.Random(7)
    out, size = [], 0
    while size < n:
        w = "".join(rnd.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(6)).capitalize()
        out.append(w)
        size += 7
    return " ".join(out)[:n]


def repeat(unit, n):
    return (unit * (n // len(unit.encode()) + 1))[: n // len(unit.encode()) * len(unit)]


# (content type, generator of about n bytes). Each is a shape that made some stage or the
# answer large per input byte.
SHAPES = {
    "he-said": ("text/plain", lambda n: repeat("he said, ", n)),
    "name-said": ("text/plain", lambda n: repeat("Barack Obama said yes. ", n)),
    "quotes": ("text/plain", lambda n: repeat("\u201cYes,\u201d he said. ", n)),
    "word-a": ("text/plain", lambda n: repeat("a ", n)),
    "paragraphs": ("text/plain", lambda n: repeat("x\n\n", n)),
    "name-paragraphs": ("text/plain", lambda n: repeat("Barack Obama said yes.\n\n", n)),
    "distinct-names": ("text/plain", names),
    "html-p": ("text/html", lambda n: "<html><body>" + repeat("<p>He said yes.</p>", n - 40) + "</body></html>"),
    "html-tiny-p": ("text/html", lambda n: repeat("<p>x</p>", n)),
    "html-markup": ("text/html", lambda n: repeat('<div class="a"><span>b</span></div>', n)),
    "html-he-said": ("text/html", lambda n: "<p>" + repeat("he said, ", n - 8) + "</p>"),
    "he-said-raw": ("application/json", None),  # built below: clean off, text = input
    # As much "he said, " as the text limit lets through, the rest tiny paragraphs that
    # cleaning removes: the costliest document of a size (see budget.rs).
    "mixed": ("text/plain", None),
    "html-attrs": ("text/html", lambda n: "<p " + repeat('a="" ', n - 20) + ">x</p>"),
    "html-nest": ("text/html", lambda n: repeat("<div>", n // 2) + "<p>Kerry said so.</p>" + repeat("</div>", n // 2)),
    "json-escapes": ("application/json", None),  # built below: \\u escapes expand 6 -> 1
}


MAX_TEXT = [1 << 20]


def mixed(n):
    said = repeat("he said, ", min(n, MAX_TEXT[0]) - 4096)
    return said + "\n\n" + repeat("x\n\n", n - len(said) - 2)


def he_said_raw(n):
    return json.dumps({"text": repeat("he said, ", n - 60), "options": {"clean": False}})


def json_escapes(n):
    # A JSON request whose text is n bytes on the wire but mostly \\u escapes.
    count = (n - 20) // 6
    return '{"text": "' + "\\u00e9" * count + '"}'


def vm(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1]) * 1024
    return 0


def reset_peak(pid):
    try:
        with open(f"/proc/{pid}/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass


def post(port, ctype, body, timeout=120):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    t = time.time()
    c.request("POST", "/v1/annotate", body=body, headers={"content-type": ctype})
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, len(data), time.time() - t, data[:300]


class Server:
    """A fresh release server: the peak of one request is not hidden by what an
    earlier one left in the allocator."""

    def __init__(self, port, workers, extra):
        self.args = [BIN, "serve", "--addr", f"127.0.0.1:{port}", "--workers", str(workers)] + extra
        self.port = port
        self.proc = subprocess.Popen(self.args, stderr=subprocess.DEVNULL)
        for _ in range(400):
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                c.request("GET", "/readyz")
                if c.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise SystemExit("the server did not become ready")

    def rss(self):
        return vm(self.proc.pid, "VmRSS")

    def peak(self):
        return vm(self.proc.pid, "VmHWM")

    def stop(self):
        self.proc.terminate()
        self.proc.wait()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", default="1536KiB", help="the body limit the server runs with")
    ap.add_argument("--max-text", default="1MiB", help="the text limit the server runs with")
    ap.add_argument("--shapes", default=",".join(SHAPES))
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--port", type=int, default=18555)
    ap.add_argument("--max-peak", default=None,
                    help="exit 1 if any peak RSS passes this (CI: under the pod's 512 MiB)")
    ap.add_argument("serve_args", nargs="*")
    a = ap.parse_args()
    limit = parse_size(a.limit)
    MAX_TEXT[0] = parse_size(a.max_text)
    max_peak = parse_size(a.max_peak) if a.max_peak else None
    over = []

    def body_of(name, n):
        ctype, make = SHAPES[name]
        special = {"json-escapes": json_escapes, "he-said-raw": he_said_raw, "mixed": mixed}
        body = (special[name](n) if name in special else make(n)).encode()[:limit]
        return ctype, body

    first = Server(a.port, a.workers, a.serve_args)
    print(f"server: {' '.join(first.args[1:])}")
    print(f"idle RSS {first.rss() / 2**20:.1f} MiB; body limit {limit} bytes; a fresh server per row\n")
    first.stop()
    print(f"{'shape':<22} {'bytes':>9} {'status':>6} {'answer':>11} {'seconds':>8} {'peak RSS MiB':>12} {'after MiB':>9}")
    worst = (0, None)
    for name in a.shapes.split(","):
        for label, n in ((name, limit - 64), (name + "/2", limit // 2)):
            ctype, body = body_of(name, n)
            server = Server(a.port, a.workers, a.serve_args)
            try:
                status, size, secs, _ = post(a.port, ctype, body)
                peak, after = server.peak(), server.rss()
            finally:
                server.stop()
            print(f"{label:<22} {len(body):>9} {status:>6} {size:>11} {secs:>8.2f} {peak / 2**20:>12.1f} {after / 2**20:>9.1f}", flush=True)
            if max_peak and peak > max_peak:
                over.append(label)
            if peak > worst[0] and not label.endswith("/2"):
                worst = (peak, (name, ctype, body))
    if worst[1]:
        name, ctype, body = worst[1]
        server = Server(a.port, a.workers, a.serve_args)
        try:
            results = []
            threads = [
                threading.Thread(target=lambda: results.append(post(a.port, ctype, body)))
                for _ in range(a.workers * 3)
            ]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            statuses = " ".join(str(r[0]) for r in results)
            if max_peak and server.peak() > max_peak:
                over.append("concurrent " + name)
            print(f"\n{a.workers * 3} x {name} at once ({a.workers} workers): statuses {statuses}; "
                  f"peak RSS {server.peak() / 2**20:.1f} MiB, after {server.rss() / 2**20:.1f} MiB")
        finally:
            server.stop()
    if over:
        print(f"peak RSS over {a.max_peak}: {', '.join(over)}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
