#!/usr/bin/env python3
"""The attacks of issue 11 against the release server, with a probe measuring what a
real client sees meanwhile.

For each attack a fresh server is started (default flags unless given after `--`), a
probe sends the seed article to `POST /v1/annotate` one request at a time while nothing
else runs ("quiet"), then again while the attack runs, and the script prints, per
attack: the probe's success rate, p50 and p99 latency, p99 against the quiet p99, what
`/readyz` answered meanwhile, the server's peak RSS and threads, and whether it survived.
Pass: every probe answered 200 with p99 within 5x of quiet, or readiness turned 503
(shed on purpose), and the process alive (unless the attack is a shutdown).

    python3 scripts/attack.py                         # every attack, ~15 min
    python3 scripts/attack.py slowloris unread-batch  # some
    DURATION=20 python3 scripts/attack.py slow-batch  # seconds of attack (default 30)
    python3 scripts/attack.py --list

Plain asyncio, no third-party package. Needs `target/release/news-annotator`.
"""
import asyncio
import collections
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "news-annotator")
SEED = open(os.path.join(ROOT, "tests", "fixtures", "seed_article.txt"), "rb").read()
PORT = int(os.environ.get("PORT", "18600"))
DURATION = float(os.environ.get("DURATION", "30"))
HOST = "127.0.0.1"


# --- a minimal HTTP/1.1 client ---------------------------------------------------------

async def read_response(reader):
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            headers[k.strip().lower()] = v.strip()
    body = b""
    if "content-length" in headers:
        body = await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding") == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip(), 16)
            chunk = await reader.readexactly(size + 2)
            if size == 0:
                break
            body += chunk[:-2]
    return status, headers, body


async def request(method, path, body=b"", headers=None, timeout=15.0):
    """One request on its own connection: (status, headers, body), or (None, error)."""
    headers = dict(headers or {})
    head = f"{method} {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: {len(body)}\r\n"
    head += "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(HOST, PORT), timeout)
        writer.write(head.encode("latin-1") + body)
        await writer.drain()
        status, h, b = await asyncio.wait_for(read_response(reader), timeout)
        writer.close()
        return status, h, b
    except Exception as e:  # noqa: BLE001 - any failure is what the probe reports
        return None, type(e).__name__, b""


# --- the server ----------------------------------------------------------------------

class Server:
    def __init__(self, extra):
        self.args = [BIN, "serve", "--addr", f"{HOST}:{PORT}"] + extra
        self.proc = subprocess.Popen(self.args, stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
        self.peak_threads = 0

    async def ready(self):
        for _ in range(600):
            status, _, _ = await request("GET", "/readyz", timeout=2)
            if status == 200:
                return
            await asyncio.sleep(0.05)
        raise SystemExit("the server did not become ready")

    def alive(self):
        return self.proc.poll() is None

    def status(self, key):
        try:
            with open(f"/proc/{self.proc.pid}/status") as f:
                for line in f:
                    if line.startswith(key + ":"):
                        return int(line.split()[1])
        except OSError:
            return 0
        return 0

    def sample(self):
        self.peak_threads = max(self.peak_threads, self.status("Threads"))

    def stop(self):
        if self.alive():
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


# --- the probe -----------------------------------------------------------------------

async def probe(server, seconds, stop=None):
    """Seed requests one at a time (every 50 ms) for `seconds`; readiness every 250 ms."""
    lat, statuses, ready = [], [], {}
    end = time.time() + seconds

    async def readiness():
        while time.time() < end and not (stop and stop.is_set()):
            s, _, _ = await request("GET", "/readyz", timeout=5)
            ready[s] = ready.get(s, 0) + 1
            server.sample()
            await asyncio.sleep(0.25)

    task = asyncio.create_task(readiness())
    while time.time() < end and not (stop and stop.is_set()):
        t = time.time()
        s, headers, body = await request("POST", "/v1/annotate", SEED, {"Content-Type": "text/plain"}, timeout=15)
        lat.append(time.time() - t)
        # A failure as "503 overloaded", or "None TimeoutError" when there was no answer.
        statuses.append(s if s == 200 else f"{s} {problem_type(headers if s is None else body)}")
        await asyncio.sleep(0.05)
    await task
    return lat, statuses, ready


def problem_type(body):
    """The last part of a problem's type (`overloaded`, `timeout`), or a connection error's name."""
    if isinstance(body, str):
        return body
    try:
        return json.loads(body)["type"].rsplit(":", 1)[-1]
    except (ValueError, KeyError, TypeError, AttributeError):
        return "?"


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))] if xs else float("nan")


# --- the attacks ---------------------------------------------------------------------

def many_attributes(n=5000):
    return ("<p " + " ".join(['a=""'] * n) + ">x</p>").encode()


# Every task an attack starts, so that all of them are stopped before the next attack
# (a leftover would go on attacking the next server, on the same port).
SPAWNED = []


def spawn(coro):
    task = asyncio.create_task(coro)
    SPAWNED.append(task)
    return task


async def stop_all():
    """Cancels every attack task until each has ended. Once is not enough before Python
    3.12: `asyncio.wait_for` swallows a cancellation that arrives as its inner request
    completes, and an attack loop of quick requests then runs on for ever."""
    while SPAWNED:
        for t in SPAWNED:
            t.cancel()
        await asyncio.wait(SPAWNED, timeout=0.5)
        SPAWNED[:] = [t for t in SPAWNED if not t.done()]


async def hold(coros):
    """Runs attack coroutines until stopped."""
    await asyncio.gather(*(spawn(c) for c in coros))


async def slow_upload(path, ctype, length, every, first=b""):
    """Declares `length` bytes and sends one byte every `every` seconds."""
    while True:
        try:
            reader, writer = await asyncio.open_connection(HOST, PORT)
            writer.write(f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: {ctype}\r\nContent-Length: {length}\r\n\r\n".encode() + first)
            await writer.drain()
            while True:
                await asyncio.sleep(every)
                writer.write(b" ")
                await writer.drain()
        except (ConnectionError, OSError):
            await asyncio.sleep(0.1)  # cut off by the server: come back


async def attack_attrs():
    page = many_attributes()
    body_json = json.dumps({"html": page.decode()}).encode()
    form = b"format=html&text=" + page.replace(b" ", b"+").replace(b'"', b"%22").replace(b"=", b"%3D").replace(b"<", b"%3C").replace(b">", b"%3E")
    while True:
        await request("POST", "/v1/annotate", page, {"Content-Type": "text/html"})
        await request("POST", "/v1/annotate", body_json, {"Content-Type": "application/json"})
        await request("POST", "/v1/annotate", page, {"Content-Type": "text/html", "Accept": "text/html"})
        await request("POST", "/", form, {"Content-Type": "application/x-www-form-urlencoded"})
        await request("POST", "/v1/annotate/batch", b'{"text":"Kerry said so."}\n' + body_json + b"\n", {"Content-Type": "application/x-ndjson"})


async def attack_slow_batch():
    await hold(slow_upload("/v1/annotate/batch", "application/x-ndjson", 1 << 20, 5.0, b'{"text": "') for _ in range(256))


async def attack_slow_single():
    async def one():
        try:
            reader, writer = await asyncio.open_connection(HOST, PORT)
            writer.write(b"POST /v1/annotate HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 100000\r\n\r\nKerry")
            await writer.drain()
            await asyncio.sleep(60)
        except (ConnectionError, OSError):
            pass

    while True:  # ~25 new slow uploads a second, each held until the server cuts it off
        spawn(one())
        await asyncio.sleep(0.04)


def big_batch(lines=20):
    line = json.dumps({"text": "Kerry said so. " * 20000, "options": {"clean": False, "entities": False, "quotes": False}})
    return ("\n".join([line] * lines) + "\n").encode()


async def unread_batch_client(body):
    try:
        reader, writer = await asyncio.open_connection(HOST, PORT, limit=1 << 16)
        sock = writer.get_extra_info("socket")
        sock.setsockopt(__import__("socket").SOL_SOCKET, __import__("socket").SO_RCVBUF, 4096)
        writer.write(f"POST /v1/annotate/batch HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-ndjson\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body)
        await writer.drain()
        await asyncio.sleep(3600)  # never read
    except (ConnectionError, OSError):
        pass


async def attack_unread_batch():
    body = big_batch(8)
    for wave in range(3):
        for _ in range(200):
            spawn(unread_batch_client(body))
        await asyncio.sleep(DURATION / 3)
    await asyncio.sleep(3600)


async def attack_big_uploads():
    body = big_batch(16)  # ~5 MB each, answers ~20 MB
    await hold(unread_batch_client(body) for _ in range(4))


async def attack_form_flood():
    text = ("Kerry said the talks went well. " * 16000)[: 512 << 10]
    form = ("format=text&text=" + text.replace(" ", "+")).encode()

    async def one():
        while True:
            await request("POST", "/", form, {"Content-Type": "application/x-www-form-urlencoded"}, timeout=60)

    await hold(one() for _ in range(40))


async def attack_heavy_docs():
    rnd = random.Random(3)
    names = " ".join("".join(rnd.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(6)).capitalize() for _ in range(140000))[: 1000000].encode()
    said = (b"he said, " * 111000)[: 1000000]

    async def one(body):
        while True:
            await request("POST", "/v1/annotate", body, {"Content-Type": "text/plain"}, timeout=60)

    await hold([one(names), one(said), one(names), one(said)])


async def attack_slowloris():
    async def one():
        while True:
            try:
                reader, writer = await asyncio.open_connection(HOST, PORT)
                writer.write(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
                await writer.drain()
                while True:
                    await asyncio.sleep(10)
                    writer.write(b"X-a: b\r\n")
                    await writer.drain()
            except (ConnectionError, OSError):
                await asyncio.sleep(0.5)

    await hold(one() for _ in range(2000))


async def attack_methods():
    async def one(i):
        m = ("M%05d" % i) + "X" * (10 << 10)
        await request(m, "/v1/annotate", timeout=5)

    i = 0
    while True:
        await asyncio.gather(*(one(i + k) for k in range(50)))
        i += 50
        if i >= 5000:
            i = 0


ATTACKS = {
    "attrs": (attack_attrs, [], "item 1: one tag with 5,000 attributes through every HTML route"),
    "slow-batch": (attack_slow_batch, [], "item 2: 256 batch uploads sending a byte every 5 s"),
    "slow-single": (attack_slow_single, [], "item 2: 25 new slow single uploads a second"),
    "unread-batch": (attack_unread_batch, [], "item 3: three waves of 200 batch clients that never read"),
    "big-uploads": (attack_big_uploads, [], "item 3: four 5 MB batches whose answers are never read"),
    "form-flood": (attack_form_flood, [], "item 5: 40 concurrent 512 KiB form posts"),
    "heavy-docs": (attack_heavy_docs, [], "items 4/6: four clients sending 1 MB worst-shape documents"),
    "slowloris": (attack_slowloris, [], "item 8: 2,000 slowloris connections"),
    "methods": (attack_methods, [], "item 7: 5,000 unique 10 KB methods, over and over"),
}


async def metrics_size():
    s, _, b = await request("GET", "/metrics", timeout=30)
    return len(b) if s == 200 else None


async def run_attack(name, extra):
    make, flags, what = ATTACKS[name]
    server = Server(flags + extra)
    try:
        await server.ready()
        quiet_lat, quiet_st, _ = await probe(server, 8)
        rss0 = server.status("VmRSS")
        attack = spawn(make())
        await asyncio.sleep(1.0)
        lat, st, ready = await probe(server, DURATION)
        attack_ended = attack.done() and not attack.cancelled() and attack.exception()
        await stop_all()
        alive = server.alive()
        peak = server.status("VmHWM")
        msize = await metrics_size() if alive else None
        ok = sum(1 for s in st if s == 200)
        q99, a99 = pct(quiet_lat, 99), pct([l for l, s in zip(lat, st) if s == 200] or [float("inf")], 99)
        shed = ready.get(503, 0) > 0
        # An attack that died early (its own error) attacked nothing: not a pass.
        passed = alive and not attack_ended and ((ok == len(st) and a99 <= 5 * q99) or shed)
        print(f"\n== {name}: {what}")
        print(f"   quiet:  {len(quiet_st)} probes, p50 {pct(quiet_lat, 50) * 1000:.1f} ms, p99 {q99 * 1000:.1f} ms")
        print(f"   attack: {len(st)} probes, {ok} answered 200 ({100 * ok / max(1, len(st)):.1f}%), "
              f"p50 {pct(lat, 50) * 1000:.1f} ms, p99 {a99 * 1000:.1f} ms ({a99 / q99:.1f}x quiet); "
              f"other answers {dict(sorted(collections.Counter(s for s in st if s != 200).items()))}")
        print(f"   readyz: {dict(sorted((str(k), v) for k, v in ready.items()))}; process {'alive' if alive else 'DEAD'}; "
              f"RSS idle {rss0 / 1024:.0f} MiB, peak {peak / 1024:.0f} MiB; peak threads {server.peak_threads}"
              + (f"; /metrics {msize} bytes" if msize is not None else ""))
        if attack_ended:
            print(f"   the attack stopped early: {attack_ended!r}")
        print(f"   {'PASS' if passed else 'FAIL'}", flush=True)
        return passed
    finally:
        server.stop()


async def run_shutdown(extra):
    """Item 9: SIGTERM with an unfinished head, a stalled upload and an unread batch."""
    server = Server(extra)
    await server.ready()
    spawn(unread_batch_client(big_batch(8)))
    r, w = await asyncio.open_connection(HOST, PORT)
    w.write(b"GET /healthz HTTP/1.1\r\n")
    r2, w2 = await asyncio.open_connection(HOST, PORT)
    w2.write(b"POST /v1/annotate HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\nKerry")
    await asyncio.sleep(2)
    t = time.time()
    server.proc.send_signal(signal.SIGTERM)
    while server.alive() and time.time() - t < 60:
        await asyncio.sleep(0.05)
    took = time.time() - t
    await stop_all()
    alive = server.alive()
    server.stop()
    print("\n== shutdown: item 9: SIGTERM with an unfinished head, a stalled upload and an unread batch")
    print(f"   exited after {took:.2f} s (grace period {extra_grace(extra)})" if not alive else "   still running after 60 s")
    print(f"   {'PASS' if not alive and took < 30 else 'FAIL'}")
    return not alive and took < 30


def extra_grace(extra):
    return extra[extra.index("--shutdown-grace") + 1] if "--shutdown-grace" in extra else "20s, the default"


async def main(argv):
    if "--list" in argv:
        for k, (_, _, what) in ATTACKS.items():
            print(f"{k:<14} {what}")
        print(f"{'shutdown':<14} item 9: SIGTERM with clients holding connections")
        return 0
    extra = argv[argv.index("--") + 1:] if "--" in argv else []
    names = [a for a in (argv[: argv.index("--")] if "--" in argv else argv)] or list(ATTACKS) + ["shutdown"]
    results = {}
    for name in names:
        results[name] = await (run_shutdown(extra) if name == "shutdown" else run_attack(name, extra))
    print("\nsummary: " + ", ".join(f"{k} {'PASS' if v else 'FAIL'}" for k, v in results.items()))
    return 0 if all(results.values()) else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1:])))
