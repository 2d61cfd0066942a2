#!/usr/bin/env python3
"""Removal orders under load (issue 18, Performance): from an order's receipt (the POST) to its content.remove action being
(1) in the pull feed and (2) received by a webhook receiver, while `bulwark loadgen` keeps the pipeline busy.
Run through bench/scripts/removal-orders.sh, which starts the server (--demo: the example authority) and the load."""
import http.server, json, os, sys, threading, time, urllib.request

base, key, orders = os.environ["BENCH_URL"], os.environ["BENCH_KEY"], int(os.environ.get("BENCH_ORDERS", "200"))
hook_port = int(os.environ["BENCH_HOOK_PORT"])
received = {}

class Hook(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        now = time.monotonic()
        try:
            doc = json.loads(body)
            for a in doc if isinstance(doc, list) else doc.get("actions", [doc]):
                if a.get("kind") == "content.remove": received.setdefault(a.get("targetId"), now)
        except Exception: pass
        self.send_response(200); self.end_headers()
    def log_message(self, *args): pass

class HookServer(http.server.ThreadingHTTPServer):
    request_queue_size = 128  # the default backlog (5) refuses connections when the dispatcher sends in parallel
    daemon_threads = True
threading.Thread(target=HookServer(("127.0.0.1", hook_port), Hook).serve_forever, daemon=True).start()

def call(method, path, body=None):
    req = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                 headers={"Authorization": "Bearer " + key, "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as r: return r.status, json.loads(r.read() or b"null")

call("POST", "/api/v1/webhooks", {"name": "bench-orders", "url": f"http://127.0.0.1:{hook_port}/hook", "kinds": ["content.remove"]})
ids = [f"bench-order-target-{i}" for i in range(orders)]
for i in range(0, orders, 500):
    call("POST", "/api/v1/content/batch", {"events": [{"id": c, "kind": "text", "text": "synthetic post named by a benchmark order"} for c in ids[i:i + 500]]})
# The feed's end before the orders: only newer actions are read.
cursor = None
while True:
    _, page = call("GET", "/api/v1/actions?limit=1000" + ("" if cursor is None else "&after=" + cursor))
    cursor = page.get("nextCursor") or cursor
    if not page.get("hasMore"): break

feed_at, sent_at = {}, {}
def follow():
    global cursor
    while len(feed_at) < orders:
        _, page = call("GET", "/api/v1/actions?limit=1000" + ("" if cursor is None else "&after=" + cursor))
        now = time.monotonic()
        for a in page["items"]:
            if a["kind"] == "content.remove" and ":order:" in a["idempotencyKey"]: feed_at.setdefault(a["targetId"], now)
        cursor = page.get("nextCursor") or cursor
        time.sleep(0.005)
threading.Thread(target=follow, daemon=True).start()

for n, c in enumerate(ids):
    sent_at[c] = time.monotonic()
    status, _ = call("POST", "/api/v1/authorities/removal-orders", {
        "reference": f"BENCH-{os.getpid()}-{n}", "authority": "example-it-authority", "memberState": "IT",
        "issuedAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 60)), "contentIds": [c],
        "ground": "incitement", "reasons": "Synthetic benchmark order"})
    assert status == 201, status
    time.sleep(0.05)
deadline = time.monotonic() + 300
while (len(feed_at) < orders or len(received) < orders) and time.monotonic() < deadline: time.sleep(0.1)

# What became of the actions a receiver never saw (the shell script looks their delivery rows up in the database).
missing = [c for c in ids if c not in received or c not in feed_at]
if missing:
    with open(os.environ.get("BENCH_MISSING", "/dev/null"), "w") as f: f.write("\n".join(missing))
    print("not seen (feed, webhook):", [(c, c in feed_at, c in received) for c in missing][:20])

def pct(xs, p): xs = sorted(xs); return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))] if xs else float("nan")
for name, seen in (("pull feed", feed_at), ("webhook", received)):
    lat = [(seen[c] - sent_at[c]) * 1000 for c in ids if c in seen]
    print(f"receipt → {name}: {len(lat)}/{orders} seen; p50 {pct(lat, 50):.0f} ms, p99 {pct(lat, 99):.0f} ms, max {max(lat) if lat else float('nan'):.0f} ms")
